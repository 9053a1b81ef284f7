import { describe, expect, it } from 'vitest';
import { drawdown } from './drawdown';
import { settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();

describe('drawdown from the equity peak (default 20%)', () => {
  it('stays armed at 19.99% below the peak', () => {
    const verdict = drawdown.evaluate(snapshot({ peakEquity: 12_000, equity: 9_601.2 }), settings);
    expect(verdict.action).toBe('none');
    expect(verdict.value).toBeCloseTo(19.99, 8);
  });

  it('at 20% below the peak it flattens, and holds until a user reset', () => {
    const verdict = drawdown.evaluate(snapshot({ peakEquity: 12_000, equity: 9_600 }), settings);
    expect(verdict).toMatchObject({ action: 'flatten', value: 20, threshold: 20, until: null });
    expect(verdict.reason).toMatch(/strategies stopped/);
  });

  it('measures from the peak, not from the start of the day', () => {
    expect(drawdown.evaluate(snapshot({ dayStartEquity: 9_700, peakEquity: 12_000, equity: 9_600 }), settings).action).toBe('flatten');
  });
});
