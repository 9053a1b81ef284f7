import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { price, usd } from '../money';
import { type SizingInput, sizePosition } from './sizing';

const BTC = { base: 'BTC', amountStep: 0.001, minAmount: 0.001, maxAmount: 1_000, maxMarketAmount: 120, minNotional: 100 };

const input = (over: Partial<SizingInput> = {}): SizingInput => ({
  equity: usd(10_000),
  riskFraction: 0.01,
  entry: price(60_000),
  stop: price(58_800),
  maxPositionNotional: usd(30_000),
  market: BTC,
  ...over,
});

describe('risk-first sizing', () => {
  it('sizes from risk: 10,000 × 1% / 1,200 = 0.0833… rounded down to 0.083 BTC', () => {
    const result = sizePosition(input());
    expect(result).toMatchObject({ ok: true, quantity: 0.083, limitedBy: 'risk' });
    expect(result.riskQuantity).toBeCloseTo(100 / 1_200, 12);
  });

  it('sizes a short the same way from the distance to its stop above entry', () => {
    expect(sizePosition(input({ stop: price(61_200) }))).toMatchObject({ ok: true, quantity: 0.083 });
  });

  it('never risks more than the fraction allows', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1_000, max: 1e6, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        fc.double({ min: 100, max: 100_000, noNaN: true }),
        fc.double({ min: 0.001, max: 0.3, noNaN: true }),
        (equity, riskFraction, entry, stopDistance) => {
          const result = sizePosition(input({ equity: usd(equity), riskFraction, entry: price(entry), stop: price(entry * (1 - stopDistance)), maxPositionNotional: usd(Infinity) }));
          expect(result.quantity * entry * stopDistance).toBeLessThanOrEqual(equity * riskFraction * (1 + 1e-9));
        },
      ),
    );
  });

  it('caps by the position-notional cap', () => {
    const result = sizePosition(input({ stop: price(59_990) }));
    expect(result).toMatchObject({ ok: true, quantity: 0.5, limitedBy: 'position-notional' });
  });

  it("caps by the market's largest market order", () => {
    const result = sizePosition(input({ entry: price(10), stop: price(9.99), maxPositionNotional: usd(1e9) }));
    expect(result).toMatchObject({ ok: true, quantity: 120, limitedBy: 'market-max-amount' });
  });

  it('rejects a size below the minimum amount, naming the market-limits rule', () => {
    const result = sizePosition(input({ equity: usd(50), stop: price(57_000) }));
    expect(result.ok).toBe(false);
    expect(result.quantity).toBe(0);
    expect(!result.ok && result.violations.map((v) => v.rule)).toContain('market-limits');
    expect(!result.ok && result.violations[0]!.message).toMatch(/below the smallest order of 0.001 BTC/);
  });

  it('rejects a size below the minimum notional', () => {
    const result = sizePosition(input({ stop: price(1) }));
    expect(result).toMatchObject({ ok: false, quantity: 0.001 });
    expect(!result.ok && result.violations).toEqual([{ rule: 'market-limits', message: expect.stringMatching(/worth 60.00 USDT, below .* 100.00 USDT/) }]);
  });

  it('rejects rather than sends zero when the market has no minimum', () => {
    const result = sizePosition(input({ equity: usd(1), market: { ...BTC, minAmount: 0, minNotional: 0 } }));
    expect(result).toMatchObject({ ok: false, quantity: 0 });
  });

  it.each<[string, Partial<SizingInput>, RegExp]>([
    ['zero equity', { equity: usd(0) }, /equity/],
    ['NaN risk fraction', { riskFraction: Number.NaN }, /risk fraction/],
    ['negative entry', { entry: price(-1) }, /entry/],
    ['infinite stop', { stop: price(Infinity) }, /stop/],
    ['stop equal to entry', { stop: price(60_000) }, /stop must differ/],
    ['zero position cap', { maxPositionNotional: usd(0) }, /max position notional/],
    ['zero step', { market: { ...BTC, amountStep: 0 } }, /amount step/],
    ['negative min amount', { market: { ...BTC, minAmount: -1 } }, /min amount/],
    ['NaN max amount', { market: { ...BTC, maxAmount: Number.NaN } }, /max amount/],
    ['zero max market amount', { market: { ...BTC, maxMarketAmount: 0 } }, /max market amount/],
    ['negative min notional', { market: { ...BTC, minNotional: -5 } }, /min notional/],
  ])('throws a clear error on %s', (_, over, message) => {
    expect(() => sizePosition(input(over))).toThrow(message);
  });
});
