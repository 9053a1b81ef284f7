import { describe, expect, it } from 'vitest';
import { isNonNegative, isPositive, requireFinite, requireLimit, requireNonNegative, requirePositive } from './number-checks';

describe('number checks', () => {
  it('tell positive and non-negative finite numbers from the rest', () => {
    expect([1, 0, -1, Number.NaN, Infinity].map(isPositive)).toEqual([true, false, false, false, false]);
    expect([1, 0, -1, Number.NaN, Infinity].map(isNonNegative)).toEqual([true, true, false, false, false]);
  });

  it('throw a RangeError naming the input', () => {
    expect(() => requirePositive('entry', 0)).toThrow(new RangeError('entry must be a finite number above zero, got 0'));
    expect(() => requireNonNegative('fee', -1)).toThrow(/fee must be a finite number at or above zero/);
    expect(() => requireFinite('equity', Infinity)).toThrow(/equity must be a finite number/);
    expect(() => requireLimit('max amount', Number.NaN)).toThrow(/max amount must be above zero/);
  });

  it('let good numbers through; a limit may be Infinity', () => {
    expect(() => {
      requirePositive('a', 1);
      requireNonNegative('b', 0);
      requireFinite('c', -3);
      requireLimit('d', Infinity);
    }).not.toThrow();
  });
});
