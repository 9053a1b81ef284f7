import { describe, expect, it } from 'vitest';
import { decimalsOf, formatAmount, formatCountdown, formatLeverage, formatMoney, formatPct, formatPrice } from './numbers';

describe('decimalsOf', () => {
  it('reads the decimals a tick size implies', () => {
    expect(decimalsOf(1)).toBe(0);
    expect(decimalsOf(10)).toBe(0);
    expect(decimalsOf(0.1)).toBe(1);
    expect(decimalsOf(0.01)).toBe(2);
    expect(decimalsOf(0.5)).toBe(1);
    expect(decimalsOf(0.0001)).toBe(4);
    expect(decimalsOf(0.00025)).toBe(5);
    expect(decimalsOf(1e-7)).toBe(7);
  });

  it('refuses a step that is not a positive number', () => {
    expect(() => decimalsOf(0)).toThrow(/positive/);
    expect(() => decimalsOf(-0.1)).toThrow(/positive/);
    expect(() => decimalsOf(Number.NaN)).toThrow(/positive/);
  });
});

describe('formatting', () => {
  it('shows prices at the market precision with thousands separators', () => {
    expect(formatPrice(64123.456, 0.1)).toBe('64,123.5');
    expect(formatPrice(0.52341, 0.0001)).toBe('0.5234');
    expect(formatPrice(null)).toBe('—');
  });

  it('shows amounts at the step precision', () => {
    expect(formatAmount(0.0123, 0.001)).toBe('0.012');
    expect(formatAmount(12, 1)).toBe('12');
  });

  it('signs money and percentages with a true minus', () => {
    expect(formatMoney(-12.345)).toBe('−12.35');
    expect(formatMoney(12.345, { signed: true })).toBe('+12.35');
    expect(formatMoney(0, { signed: true })).toBe('0.00');
    expect(formatMoney(1000, { currency: 'USDT' })).toBe('1,000.00 USDT');
    expect(formatPct(-1.234)).toBe('−1.23%');
    expect(formatPct(1.234, { signed: true })).toBe('+1.23%');
    expect(formatPct(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('shows leverage without trailing zeros', () => {
    expect(formatLeverage(3)).toBe('3x');
    expect(formatLeverage(2.456)).toBe('2.46x');
  });

  it('counts down to expiry', () => {
    expect(formatCountdown(0)).toBe('expired');
    expect(formatCountdown(-5)).toBe('expired');
    expect(formatCountdown(41_200)).toBe('42s');
    expect(formatCountdown(65_000)).toBe('1m 05s');
    expect(formatCountdown(3_600_000 + 120_000)).toBe('1h 02m');
  });
});
