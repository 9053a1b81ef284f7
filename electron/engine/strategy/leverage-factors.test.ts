import { describe, expect, it } from 'vitest';
import { adaptiveLeverage, drawdownFactor, trendFactor, volatilityFactor } from './leverage-factors';

describe('adaptive leverage factors', () => {
  it('leaves leverage alone while realised volatility stays at or under the threshold', () => {
    expect(volatilityFactor(0.5, 0.8)).toBe(1);
    expect(volatilityFactor(0.8, 0.8)).toBe(1);
  });

  it('cuts leverage by the excess volatility above the threshold, never below half', () => {
    expect(volatilityFactor(1.0, 0.8)).toBeCloseTo(0.8, 12);
    expect(volatilityFactor(1.2, 0.8)).toBeCloseTo(0.6, 12);
    expect(volatilityFactor(3, 0.8)).toBe(0.5);
  });

  it('rewards a strong trend and trims a weak one by ADX', () => {
    expect(trendFactor(25.01)).toBe(1.2);
    expect(trendFactor(25)).toBe(1);
    expect(trendFactor(15)).toBe(1);
    expect(trendFactor(14.99)).toBe(0.8);
  });

  it('halves leverage past a 10% drawdown and trims it past 5%', () => {
    expect(drawdownFactor(0)).toBe(1);
    expect(drawdownFactor(5)).toBe(1);
    expect(drawdownFactor(5.1)).toBe(0.8);
    expect(drawdownFactor(10)).toBe(0.8);
    expect(drawdownFactor(10.1)).toBe(0.5);
  });

  const calm = { base: 2, cap: 5, userMax: 5, realisedVol: 0.3, volThreshold: 0.8, adx: 20, drawdownPct: 0 };

  it('is the base leverage when no factor applies', () => {
    expect(adaptiveLeverage(calm)).toBe(2);
  });

  it('multiplies the three factors', () => {
    expect(adaptiveLeverage({ ...calm, adx: 30, realisedVol: 1.0, drawdownPct: 6 })).toBeCloseTo(2 * 1.2 * 0.8 * 0.8, 12);
  });

  it('is capped at the strategy cap and at the user maximum', () => {
    expect(adaptiveLeverage({ ...calm, base: 10, adx: 30 })).toBe(5);
    expect(adaptiveLeverage({ ...calm, adx: 30, userMax: 2 })).toBe(2);
  });

  it('never goes below 1x', () => {
    expect(adaptiveLeverage({ ...calm, base: 1, realisedVol: 5, adx: 10, drawdownPct: 20 })).toBe(1);
  });
});
