import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closeChunks } from './close-chunks';

const btc = { amountStep: 0.001, minAmount: 0.001, maxMarketAmount: 120 };

describe('close chunks', () => {
  it('closes a position within the market-order maximum in one order', () => {
    expect(closeChunks(0.3, btc)).toEqual([0.3]);
    expect(closeChunks(120, btc)).toEqual([120]);
  });

  it('splits a position above the market-order maximum into orders the market accepts', () => {
    expect(closeChunks(250.5, btc)).toEqual([83.5, 83.5, 83.5]);
    expect(closeChunks(240.002, btc)).toEqual([80.001, 80.001, 80]);
  });

  it('never sends an order below the minimum', () => {
    expect(closeChunks(10.2, { amountStep: 0.1, minAmount: 1, maxMarketAmount: 10 })).toEqual([5.1, 5.1]);
    // 6 cannot be split into orders of 4 to 5: close what can be closed, and leave the rest to be reported
    expect(closeChunks(6, { amountStep: 1, minAmount: 4, maxMarketAmount: 5 })).toEqual([5]);
  });

  it('cannot close a size below the minimum, and refuses nonsense', () => {
    expect(closeChunks(0.5, { amountStep: 0.1, minAmount: 1, maxMarketAmount: 10 })).toEqual([]);
    expect(() => closeChunks(0, btc)).toThrow(/positive amount/);
    expect(() => closeChunks(NaN, btc)).toThrow(/positive amount/);
    expect(() => closeChunks(1, { amountStep: 1, minAmount: 5, maxMarketAmount: 2 })).toThrow(/allow no market order/);
  });

  it('always adds up to the size, with every order on the step and within the limits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom(0.001, 0.1, 1),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 50 }),
        (units, step, minUnits, extraMaxUnits) => {
          const market = { amountStep: step, minAmount: minUnits * step, maxMarketAmount: (minUnits + extraMaxUnits) * step };
          const amount = Number((units * step).toFixed(3));
          const chunks = closeChunks(amount, market);
          if (units < minUnits) return chunks.length === 0;
          const sumUnits = chunks.reduce((sum, c) => sum + Math.round(c / step), 0);
          const count = Math.ceil(units / (minUnits + extraMaxUnits));
          const splittable = Math.floor(units / count) >= minUnits;
          return (
            (splittable ? sumUnits === units : sumUnits <= units && units - sumUnits < minUnits + extraMaxUnits) &&
            chunks.every((c) => Math.abs(c / step - Math.round(c / step)) < 1e-9 && c >= market.minAmount - 1e-12 && c <= market.maxMarketAmount + 1e-12)
          );
        },
      ),
    );
  });
});
