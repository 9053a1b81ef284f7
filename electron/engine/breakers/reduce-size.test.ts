import { describe, expect, it } from 'vitest';
import { roundDownToStep } from '../../../shared/risk/precision';
import { reduceFraction } from './reduce-size';

const btc = { amountStep: 0.001, minAmount: 0.001 };
const lots = { amountStep: 0.1, minAmount: 1 };
/** What the reduce then sends: the position times the fraction, rounded down to the step. */
const cut = (contracts: number, fraction: number, market: { amountStep: number; minAmount: number }) =>
  roundDownToStep(contracts * reduceFraction(contracts, fraction, market), market.amountStep);

describe('how much an emergency reduce cuts', () => {
  it('the configured fraction when the market accepts that amount', () => {
    expect(reduceFraction(1, 0.3, btc)).toBe(0.3);
    expect(cut(1, 0.3, btc)).toBe(0.3);
    expect(reduceFraction(10, 0.3, lots)).toBe(0.3);
  });

  it('the minimum order size when the fraction would round below it, instead of nothing', () => {
    expect(roundDownToStep(0.002 * 0.3, btc.amountStep)).toBe(0);
    expect(cut(0.002, 0.3, btc)).toBe(0.001);
    expect(cut(5, 0.1, lots)).toBe(1);
  });

  it('the whole position when the rest would be below the minimum, or the position is no larger than it', () => {
    expect(reduceFraction(0.001, 0.3, btc)).toBe(1);
    expect(reduceFraction(1.5, 0.3, lots)).toBe(1);
    expect(reduceFraction(1, 0.3, lots)).toBe(1);
  });

  it('refuses a fraction outside (0, 1]', () => {
    expect(() => reduceFraction(1, 0, btc)).toThrow(RangeError);
    expect(() => reduceFraction(1, 1.2, btc)).toThrow(RangeError);
  });
});
