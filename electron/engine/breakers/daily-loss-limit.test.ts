import { describe, expect, it } from 'vitest';
import { dailyLossLimit } from './daily-loss-limit';
import { NOW, settingsWith, snapshot } from './snapshot.fixture';

const settings = settingsWith();

describe('daily loss limit (default 5% of start-of-day equity)', () => {
  it('stays armed at a 4.99% loss and shows the loss next to the limit', () => {
    const verdict = dailyLossLimit.evaluate(snapshot({ dayStartEquity: 10_000, equity: 9_501 }), settings);
    expect(verdict.action).toBe('none');
    expect(verdict.value).toBeCloseTo(4.99, 10);
    expect(verdict.threshold).toBe(5);
  });

  it('trips at exactly 5% and blocks entries until the next 00:00 UTC', () => {
    const verdict = dailyLossLimit.evaluate(snapshot({ dayStartEquity: 10_000, equity: 9_500 }), settings);
    expect(verdict).toMatchObject({ action: 'block-entries', value: 5, threshold: 5, until: Date.parse('2025-03-13T00:00:00Z') });
    expect(verdict.reason).toMatch(/5% today/);
  });

  it('counts unrealised losses: equity, not the wallet, is compared', () => {
    expect(dailyLossLimit.evaluate(snapshot({ dayStartEquity: 10_000, equity: 9_400 }), settings).action).toBe('block-entries');
  });

  it('follows the configured limit', () => {
    const tight = settingsWith({ dailyLossPct: 2 });
    expect(dailyLossLimit.evaluate(snapshot({ equity: 9_801 }), tight).action).toBe('none');
    expect(dailyLossLimit.evaluate(snapshot({ equity: 9_800 }), tight).action).toBe('block-entries');
  });

  it('a gain is a zero loss, and an unknown account judges nothing', () => {
    expect(dailyLossLimit.evaluate(snapshot({ equity: 11_000 }), settings)).toMatchObject({ action: 'none', value: 0 });
    expect(dailyLossLimit.evaluate(snapshot({ equity: null }), settings)).toMatchObject({ action: 'none', value: null });
    expect(NOW).toBeLessThan(Date.parse('2025-03-13T00:00:00Z'));
  });
});
