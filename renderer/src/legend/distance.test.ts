import { describe, expect, it } from 'vitest';
import { distanceMoney, distancePct, liquidationGrade } from './distance';

describe('distance from mark', () => {
  it('is signed: above mark is positive', () => {
    expect(distancePct(102, 100)).toBeCloseTo(2);
    expect(distancePct(95, 100)).toBeCloseTo(-5);
  });

  it('is what the position gains or loses if price gets there', () => {
    expect(distanceMoney(95, 100, 2, 'long')).toBeCloseTo(-10);
    expect(distanceMoney(95, 100, 2, 'short')).toBeCloseTo(10);
    expect(distanceMoney(110, 100, 0.5, 'short')).toBeCloseTo(-5);
  });

  it('has no value without a usable mark', () => {
    expect(distancePct(100, 0)).toBeNull();
    expect(distancePct(100, Number.NaN)).toBeNull();
    expect(distanceMoney(100, 0, 1, 'long')).toBeNull();
  });
});

describe('liquidationGrade', () => {
  it('grades danger at or inside the threshold or past liquidation, caution inside twice it, safe beyond', () => {
    expect(liquidationGrade(4, 5)).toBe('danger');
    expect(liquidationGrade(5, 5)).toBe('danger');
    expect(liquidationGrade(-20, 5)).toBe('danger');
    expect(liquidationGrade(9.9, 5)).toBe('caution');
    expect(liquidationGrade(10.1, 5)).toBe('safe');
    expect(liquidationGrade(null, 5)).toBe('none');
  });
});
