import { describe, expect, it } from 'vitest';
import { NOW, settingsWith, snapshot } from './snapshot.fixture';
import { VOLATILITY_HOLD_MS, volatilityHalt } from './volatility-halt';

const settings = settingsWith({ volatilityHaltPct: 150 });

describe('volatility halt', () => {
  it('stays armed below the threshold and shows the most volatile market', () => {
    expect(volatilityHalt.evaluate(snapshot({ volatilityPct: { 'BTC/USDT:USDT': 60, 'SOL/USDT:USDT': 149.9 } }), settings)).toMatchObject({
      action: 'none',
      value: 149.9,
      threshold: 150,
    });
  });

  it('stops new entries at the threshold, naming the market', () => {
    const verdict = volatilityHalt.evaluate(snapshot({ volatilityPct: { 'BTC/USDT:USDT': 60, 'SOL/USDT:USDT': 150 } }), settings);
    expect(verdict).toMatchObject({ action: 'block-entries', value: 150, until: NOW + VOLATILITY_HOLD_MS });
    expect(verdict.reason).toMatch(/^SOL\/USDT:USDT/);
  });

  it('judges nothing before enough prices are known', () => {
    expect(volatilityHalt.evaluate(snapshot(), settings)).toMatchObject({ action: 'none', value: null });
  });
});
