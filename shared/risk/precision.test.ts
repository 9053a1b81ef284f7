import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnStep, roundDownToStep, roundToTick } from './precision';

describe('roundDownToStep', () => {
  it('keeps exact decimal multiples that binary floats miss: 0.3 / 0.1 is three steps, not two', () => {
    expect(roundDownToStep(0.3, 0.1)).toBe(0.3);
    expect(roundDownToStep(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(roundDownToStep(0.7, 0.1)).toBe(0.7);
    expect(roundDownToStep(1.001, 0.001)).toBe(1.001);
    expect(roundDownToStep(4.35, 0.05)).toBe(4.35);
  });

  it('rounds down, never up', () => {
    expect(roundDownToStep(0.1239, 0.001)).toBe(0.123);
    expect(roundDownToStep(0.0999, 0.1)).toBe(0);
    expect(roundDownToStep(17, 5)).toBe(15);
    expect(roundDownToStep(2.49, 0.25)).toBe(2.25);
  });

  it('handles steps written in exponent form', () => {
    expect(roundDownToStep(0.000000129, 1e-8)).toBe(0.00000012);
    expect(roundDownToStep(123_456, 1e3)).toBe(123_000);
  });

  it('always returns a whole number of steps at or below the value', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constantFrom(1e-8, 0.001, 0.01, 0.1, 0.5, 1, 10), (value, step) => {
        const rounded = roundDownToStep(value, step);
        expect(rounded).toBeLessThanOrEqual(value * (1 + 1e-12) + 1e-12);
        expect(value - rounded).toBeLessThan(step * (1 + 1e-9));
        expect(isOnStep(rounded, step)).toBe(true);
      }),
    );
  });

  it('rejects negative, NaN or infinite values and non-positive steps', () => {
    expect(() => roundDownToStep(-1, 0.1)).toThrow(/value/);
    expect(() => roundDownToStep(Number.NaN, 0.1)).toThrow(/value/);
    expect(() => roundDownToStep(Infinity, 0.1)).toThrow(/value/);
    expect(() => roundDownToStep(1, 0)).toThrow(/step/);
  });
});

describe('roundToTick', () => {
  it('rounds to the nearest tick, halves up, free of float artefacts', () => {
    expect(roundToTick(0.1 + 0.2, 0.1)).toBe(0.3);
    expect(roundToTick(0.15, 0.1)).toBe(0.2);
    expect(roundToTick(0.14, 0.1)).toBe(0.1);
    expect(roundToTick(65_432.16, 0.1)).toBe(65_432.2);
    expect(roundToTick(1.005, 0.01)).toBe(1.01);
    expect(roundToTick(2.0049, 0.01)).toBe(2);
  });

  it('rejects bad input', () => {
    expect(() => roundToTick(-0.5, 0.1)).toThrow(/value/);
    expect(() => roundToTick(1, Number.NaN)).toThrow(/tick/);
  });
});

describe('isOnStep', () => {
  it('tells multiples of the step from the rest, up to float noise', () => {
    expect(isOnStep(0.3, 0.1)).toBe(true);
    expect(isOnStep(0.1 + 0.2, 0.1)).toBe(true);
    expect(isOnStep(0.35, 0.1)).toBe(false);
    expect(isOnStep(0.1234, 0.001)).toBe(false);
  });

  it('rejects bad input', () => {
    expect(() => isOnStep(Number.NaN, 0.1)).toThrow(/value/);
    expect(() => isOnStep(1, -1)).toThrow(/step/);
  });
});
