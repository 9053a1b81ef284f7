import { describe, expect, it } from 'vitest';
import type { MarginBucket } from '../../../shared/margin-history';
import { chartRuns } from './margin-chart';

const bucket = (start: number, ratio: number | null): MarginBucket => ({ start, worstMarginRatioPct: ratio, lastMarginRatioPct: ratio, worstDistancePct: null, worstDistanceSymbol: null, distances: {} });

describe('the margin history chart', () => {
  it('spreads the window across the width and the value from 0 (bottom) to max (top), clamped', () => {
    const runs = chartRuns({ buckets: [bucket(0, 0), bucket(50, 50), bucket(100, 200)], value: (b) => b.worstMarginRatioPct, from: 0, to: 100, max: 100, width: 200, height: 40 });
    expect(runs).toEqual(['0.0,40.0 100.0,20.0 200.0,0.0']);
  });

  it('breaks the line where a bucket has no value, draws a lone point as a dot, and leaves out buckets outside the window', () => {
    const runs = chartRuns({ buckets: [bucket(-10, 5), bucket(0, 10), bucket(10, null), bucket(20, 10), bucket(30, 10), bucket(200, 1)], value: (b) => b.worstMarginRatioPct, from: 0, to: 100, max: 0, width: 100, height: 10 });
    expect(runs).toEqual(['0.0,0.0 0.0,0.0', '20.0,0.0 30.0,0.0']);
  });
});
