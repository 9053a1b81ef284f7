import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { BarRollup } from './bar-rollup';

const FIVE_MIN = 300_000;
const bar = (time: number, open: number, high: number, low: number, close: number, volume: number): Candle => ({ time, open, high, low, close, volume });

describe('BarRollup', () => {
  it('extends the last history bar with the minutes that follow, keeping its open', () => {
    const rollup = new BarRollup(FIVE_MIN, bar(0, 100, 105, 99, 104, 50), 120_000);
    expect(rollup.add(bar(180_000, 104, 108, 103, 107, 4))).toEqual(bar(0, 100, 108, 99, 107, 54));
    expect(rollup.add(bar(180_000, 104, 108, 97, 98, 6))).toEqual(bar(0, 100, 108, 97, 98, 56));
  });

  it('counts only what the minute in progress at load time adds afterwards', () => {
    const rollup = new BarRollup(FIVE_MIN, bar(0, 100, 105, 99, 104, 50), 120_000);
    expect(rollup.add(bar(120_000, 103, 105, 102, 104, 10))?.volume).toBe(50);
    expect(rollup.add(bar(120_000, 103, 105, 102, 104, 13))?.volume).toBe(53);
    expect(rollup.add(bar(180_000, 104, 104, 104, 104, 2))?.volume).toBe(55);
  });

  it('starts a new bar when a minute crosses into the next period', () => {
    const rollup = new BarRollup(FIVE_MIN, bar(0, 100, 105, 99, 104, 50), 120_000);
    expect(rollup.add(bar(300_000, 104, 106, 103, 105, 7))).toEqual(bar(300_000, 104, 106, 103, 105, 7));
    expect(rollup.add(bar(360_000, 105, 109, 105, 108, 3))).toEqual(bar(300_000, 104, 109, 103, 108, 10));
  });

  it('ignores a minute older than the bar it builds', () => {
    const rollup = new BarRollup(FIVE_MIN, bar(300_000, 100, 105, 99, 104, 50), 320_000);
    expect(rollup.add(bar(240_000, 1, 1, 1, 1, 1))).toBeNull();
  });

  it('builds from nothing when there was no history', () => {
    const rollup = new BarRollup(FIVE_MIN, null, 0);
    expect(rollup.add(bar(60_000, 10, 11, 9, 10.5, 1))).toEqual(bar(0, 10, 11, 9, 10.5, 1));
  });
});
