import { describe, expect, it } from 'vitest';
import { settingsWith, snapshot } from './snapshot.fixture';
import { dailyFromAnnualPct, volatilityFlatten } from './volatility-flatten';

const on = settingsWith({ volatilityFlattenEnabled: true });
/** 8% a day, annualised over 365 days as the sampler measures it. */
const eightPctADay = 8 * Math.sqrt(365);

describe('volatility flatten (the seed: close all at 8% daily volatility)', () => {
  it('is off by default, with its threshold at 8% a day, and still shows the value in daily terms', () => {
    const verdict = volatilityFlatten.evaluate(snapshot({ volatilityPct: { 'BTC/USDT:USDT': eightPctADay * 2 } }), settingsWith());
    expect(verdict).toMatchObject({ action: 'none', threshold: 8 });
    expect(verdict.value).toBeCloseTo(16, 9);
    expect(volatilityFlatten.enabled!(settingsWith())).toBe(false);
  });

  it('when on, flattens at 8% a day, naming the market, and holds until the user resets it', () => {
    expect(volatilityFlatten.evaluate(snapshot({ volatilityPct: { 'BTC/USDT:USDT': eightPctADay * 0.99 } }), on).action).toBe('none');
    const verdict = volatilityFlatten.evaluate(snapshot({ volatilityPct: { 'BTC/USDT:USDT': 60, 'SOL/USDT:USDT': eightPctADay } }), on);
    expect(verdict).toMatchObject({ action: 'flatten', until: null, threshold: 8 });
    expect(verdict.reason).toMatch(/^SOL\/USDT:USDT realised volatility 8% a day/);
  });

  it('judges nothing before enough prices are known', () => {
    expect(volatilityFlatten.evaluate(snapshot(), on)).toMatchObject({ action: 'none', value: null });
  });

  it('converts annualised volatility to daily over a 365-day year', () => {
    expect(dailyFromAnnualPct(Math.sqrt(365))).toBeCloseTo(1, 12);
  });
});
