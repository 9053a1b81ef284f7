import { describe, expect, it } from 'vitest';
import { clientOrderId, operationIdFactory, orderPurpose, parseClientOrderId } from './client-order-id';

const binance = { maxClientOrderIdLength: 36, clientOrderIdStyle: 'dashed' as const };
const okx = { maxClientOrderIdLength: 32, clientOrderIdStyle: 'alphanumeric' as const };

describe('client order ids', () => {
  it('are the same for the same operation, purpose and generation', () => {
    expect(clientOrderId('lz3k9a0', 'stop', 2, binance)).toBe('ck-lz3k9a0-sl-2');
    expect(clientOrderId('lz3k9a0', 'stop', 2, binance)).toBe(clientOrderId('lz3k9a0', 'stop', 2, binance));
    expect(clientOrderId('lz3k9a0', 'entry', 1, binance)).toBe('ck-lz3k9a0-e-1');
    expect(clientOrderId('lz3k9a0', 'take-profit', 1, binance)).toBe('ck-lz3k9a0-tp-1');
    expect(clientOrderId('lz3k9a0', 'close', 3, binance)).toBe('ck-lz3k9a0-x-3');
  });

  it("fit Binance's pattern and length", () => {
    const id = clientOrderId('abcdefghijklmnop', 'take-profit', 999_999, binance);
    expect(id).toMatch(/^[.A-Z:/a-z0-9_-]{1,36}$/);
  });

  it('drop separators where the exchange allows only letters and digits', () => {
    const id = clientOrderId('lz3k9a0', 'take-profit', 4, okx);
    expect(id).toBe('cklz3k9a0TP4');
    expect(parseClientOrderId(id)).toEqual({ operation: 'lz3k9a0', purpose: 'take-profit', generation: 4 });
  });

  it('read back into operation, purpose and generation', () => {
    expect(parseClientOrderId('ck-lz3k9a0-sl-12')).toEqual({ operation: 'lz3k9a0', purpose: 'stop', generation: 12 });
    expect(parseClientOrderId('x-xcKtGhcu8cef5fd759c2493f8eff0b')).toBeNull();
    expect(parseClientOrderId('ck-lz3k9a0-zz-1')).toBeNull();
  });

  it('refuse bad operations, generations and ids too long for the exchange', () => {
    expect(() => clientOrderId('Bad-Op', 'entry', 1, binance)).toThrow(/lowercase/);
    expect(() => clientOrderId('op', 'entry', 0, binance)).toThrow(/Generation/);
    expect(() => clientOrderId('abcdefghijklmnop', 'take-profit', 999_999, { maxClientOrderIdLength: 20 })).toThrow(/longer/);
  });

  it('give foreign orders a purpose from their type', () => {
    expect(orderPurpose({ clientOrderId: 'web_123', type: 'stop_market', reduceOnly: true, closePosition: false })).toBe('stop');
    expect(orderPurpose({ clientOrderId: 'web_123', type: 'take_profit_market', reduceOnly: true, closePosition: false })).toBe('take-profit');
    expect(orderPurpose({ clientOrderId: 'web_123', type: 'limit', reduceOnly: false, closePosition: false })).toBe('other');
    expect(orderPurpose({ clientOrderId: 'ck-a1-x-1', type: 'market', reduceOnly: true, closePosition: false })).toBe('close');
  });

  it('make fresh operation ids that differ even within one millisecond and fit a client id', () => {
    const next = operationIdFactory(() => 1_700_000_000_000);
    const ids = Array.from({ length: 50 }, next);
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) expect(() => clientOrderId(id, 'take-profit', 999_999, okx)).not.toThrow();
  });
});
