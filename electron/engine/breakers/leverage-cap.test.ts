import { describe, expect, it } from 'vitest';
import { leverageCap } from './leverage-cap';
import { entry, position, settingsWith, snapshot } from './snapshot.fixture';

describe('leverage cap (the user cap, default 5x, never above the 20x ceiling)', () => {
  it('lets 5x through and blocks 5.5x', () => {
    const settings = settingsWith();
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 5 }) }), settings)).toMatchObject({ action: 'none', threshold: 5 });
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 5.5 }) }), settings)).toMatchObject({ action: 'block-entries', value: 5.5 });
  });

  it('never passes the hard ceiling, whatever the settings say', () => {
    const loose = settingsWith({}, { maxLeverage: 50 });
    expect(leverageCap.threshold(loose)).toBe(20);
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 20 }) }), loose).action).toBe('none');
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 21 }) }), loose).action).toBe('block-entries');
  });

  it('warns about an open position above the cap without blocking anything', () => {
    const verdict = leverageCap.evaluate(snapshot({ positions: [position({ leverage: 25 })] }), settingsWith());
    expect(verdict).toMatchObject({ action: 'none', value: 25, warning: true });
  });
});

describe('the strategies’ own leverage cap (default 5x, apart from the manual cap)', () => {
  it('holds a strategy’s entry to it when the manual cap is higher, and leaves a manual entry to the manual cap', () => {
    const settings = settingsWith({}, { maxLeverage: 10 });
    expect(settings.breakers.strategyMaxLeverage).toBe(5);
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 6, automated: true }) }), settings)).toMatchObject({
      action: 'block-entries',
      threshold: 5,
      reason: 'Leverage 6x is above the 5x cap for strategies',
    });
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 5, automated: true }) }), settings).action).toBe('none');
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 6 }) }), settings).action).toBe('none');
  });

  it('never lets a strategy past the manual cap either', () => {
    const settings = settingsWith({ strategyMaxLeverage: 8 }, { maxLeverage: 3 });
    expect(leverageCap.evaluate(snapshot({ entry: entry({ leverage: 4, automated: true }) }), settings)).toMatchObject({ action: 'block-entries', threshold: 3 });
  });
});
