import { describe, expect, it } from 'vitest';
import { settingsWith, snapshot } from './snapshot.fixture';
import { weeklyLossLimit } from './weekly-loss-limit';

const settings = settingsWith();

describe('weekly loss limit (default 15% of start-of-week equity)', () => {
  it('stays armed just under 15%', () => {
    expect(weeklyLossLimit.evaluate(snapshot({ weekStartEquity: 10_000, equity: 8_501 }), settings)).toMatchObject({ action: 'none', threshold: 15 });
  });

  it('trips at 15% and blocks entries until Monday 00:00 UTC', () => {
    const verdict = weeklyLossLimit.evaluate(snapshot({ weekStartEquity: 10_000, equity: 8_500 }), settings);
    expect(verdict).toMatchObject({ action: 'block-entries', value: 15, until: Date.parse('2025-03-17T00:00:00Z') });
  });

  it('judges the week, not the day', () => {
    const verdict = weeklyLossLimit.evaluate(snapshot({ dayStartEquity: 8_600, weekStartEquity: 10_000, equity: 8_500 }), settings);
    expect(verdict.action).toBe('block-entries');
  });
});
