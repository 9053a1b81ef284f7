import { describe, expect, it } from 'vitest';
import { commandInputs, EVENT_NAMES, MAX_STRING, parseCommand } from './contract';
import { DEFAULT_SETTINGS } from './settings';

describe('the contract', () => {
  it('accepts a well-formed command and returns the parsed input', () => {
    expect(parseCommand('engine.ping', { nonce: 'n-1' })).toEqual({ ok: true, value: { command: 'engine.ping', input: { nonce: 'n-1' } } });
  });

  it.each([
    ['wrong type', 'engine.ping', { nonce: 42 }, 'invalid-input'],
    ['missing field', 'proposal.create', { symbol: 'BTC/USDT:USDT', side: 'long', stop: 1 }, 'invalid-input'],
    ['unknown command', 'engine.selfDestruct', {}, 'unknown-command'],
    ['oversized string', 'engine.ping', { nonce: 'x'.repeat(MAX_STRING + 1) }, 'invalid-input'],
    ['extra field', 'flatten', { reason: 'panic', force: false }, 'invalid-input'],
    ['non-object input', 'flatten', 'now', 'invalid-input'],
    ['non-string command', 7, {}, 'unknown-command'],
    ['inherited property name', 'toString', {}, 'unknown-command'],
    ['negative price', 'order.move', { symbol: 'BTC/USDT:USDT', purpose: 'stop', price: -1 }, 'invalid-input'],
    ['NaN-like infinity', 'proposal.create', { symbol: 'BTC/USDT:USDT', side: 'long', stop: Infinity, takeProfit: 2 }, 'invalid-input'],
  ])('rejects %s with a typed error', (_case, command, input, type) => {
    const result = parseCommand(command, input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.type).toBe(type);
      expect(result.error.message.length).toBeGreaterThan(0);
    }
  });

  it('names the offending field', () => {
    const result = parseCommand('proposal.create', { symbol: 'BTC/USDT:USDT', side: 'sideways', stop: 1, takeProfit: 2 });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.error.fields ?? {})).toContain('side');
  });

  it('takes keys only for a practice account their exchange has, refusing others at the toggle', () => {
    const keys = { exchange: 'binanceusdm', apiKey: 'AKIA1234567890KEY', apiSecret: 'super-secret-value-42' };
    expect(parseCommand('credentials.set', { ...keys, testnet: false, demo: true }).ok).toBe(true);
    expect(parseCommand('credentials.set', { ...keys, testnet: true, demo: false })).toMatchObject({
      ok: false,
      error: { type: 'invalid-input', fields: { testnet: 'binanceusdm has no futures testnet the cockpit can use: choose demo trading instead' } },
    });
    expect(parseCommand('credentials.set', { ...keys, exchange: 'bybit', testnet: true, demo: true })).toMatchObject({ ok: false, error: { fields: { demo: expect.stringContaining('not both') } } });
  });

  it('validates settings updates with the shared settings schema', () => {
    expect(parseCommand('settings.update', { settings: DEFAULT_SETTINGS }).ok).toBe(true);
    const tooMuchLeverage = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, maxLeverage: 50 } };
    const result = parseCommand('settings.update', { settings: tooMuchLeverage });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(Object.keys(result.error.fields ?? {})).toContain('settings.risk.maxLeverage');
  });

  it('lists every command with a schema and every event once', () => {
    expect(Object.keys(commandInputs).length).toBeGreaterThan(15);
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
  });
});
