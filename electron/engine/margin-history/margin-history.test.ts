import { describe, expect, it } from 'vitest';
import { MARGIN_BUCKET_MS, MARGIN_HISTORY_MS, MARGIN_RATIO_CEILING_PCT, MarginHistory, MAX_MARGIN_EVENTS } from './margin-history';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const btc = (distance: number | null) => ({ symbol: 'BTC/USDT:USDT', distanceToLiquidationPct: distance });
const eth = (distance: number | null) => ({ symbol: 'ETH/USDT:USDT', distanceToLiquidationPct: distance });

describe('sampling the margin history', () => {
  it('keeps per bucket the worst and last margin ratio (in percent) and each position’s smallest distance to liquidation', () => {
    const history = new MarginHistory();
    expect(history.sample({ time: T0, marginRatio: 0.1, positions: [btc(20), eth(30)] })).toBe(true);
    expect(history.sample({ time: T0 + MINUTE, marginRatio: 0.25, positions: [btc(12), eth(35)] })).toBe(false);
    expect(history.sample({ time: T0 + 2 * MINUTE, marginRatio: 0.15, positions: [btc(18), eth(9), { symbol: 'XRP/USDT:USDT', distanceToLiquidationPct: null }] })).toBe(false);

    const [bucket] = history.view(T0 + 3 * MINUTE).buckets;
    expect(bucket).toEqual({
      start: T0,
      worstMarginRatioPct: 25,
      lastMarginRatioPct: 15,
      worstDistancePct: 9,
      worstDistanceSymbol: 'ETH/USDT:USDT',
      distances: { 'BTC/USDT:USDT': 12, 'ETH/USDT:USDT': 9 },
    });
  });

  it('opens a new bucket every 5 minutes, and says so (the moment to write the file)', () => {
    const history = new MarginHistory();
    history.sample({ time: T0, marginRatio: 0.1, positions: [] });
    expect(history.sample({ time: T0 + MARGIN_BUCKET_MS - 1, marginRatio: 0.1, positions: [] })).toBe(false);
    expect(history.sample({ time: T0 + MARGIN_BUCKET_MS, marginRatio: 0.2, positions: [] })).toBe(true);
    expect(history.view(T0 + MARGIN_BUCKET_MS).buckets.map((b) => b.start)).toEqual([T0, T0 + MARGIN_BUCKET_MS]);
  });

  it('keeps a margin ratio past all margin as its ceiling, not as Infinity (which JSON cannot hold)', () => {
    const history = new MarginHistory();
    history.sample({ time: T0, marginRatio: Infinity, positions: [] });
    history.sample({ time: T0 + 1, marginRatio: null, positions: [] });
    expect(history.view(T0).buckets[0]).toMatchObject({ worstMarginRatioPct: MARGIN_RATIO_CEILING_PCT, lastMarginRatioPct: null });
  });

  it('ignores a sample older than its newest bucket (a clock stepping back)', () => {
    const history = new MarginHistory();
    history.sample({ time: T0 + MARGIN_BUCKET_MS, marginRatio: 0.1, positions: [] });
    expect(history.sample({ time: T0, marginRatio: 0.9, positions: [] })).toBe(false);
    expect(history.view(T0 + MARGIN_BUCKET_MS).buckets).toHaveLength(1);
    expect(history.view(T0 + MARGIN_BUCKET_MS).week.worstMarginRatioPct).toBe(10);
  });
});

describe('the bounds of the margin history', () => {
  it('holds at most 7 days of 5-minute buckets, however long and often it is sampled', () => {
    const history = new MarginHistory();
    const end = T0 + 9 * 24 * HOUR;
    for (let time = T0; time <= end; time += MINUTE) history.sample({ time, marginRatio: 0.1, positions: [btc(20)] });
    const stored = history.state().buckets;
    expect(stored.length).toBeLessThanOrEqual(MARGIN_HISTORY_MS / MARGIN_BUCKET_MS + 1);
    expect(stored[0]!.start).toBeGreaterThan(end - MARGIN_HISTORY_MS - MARGIN_BUCKET_MS);
    expect(stored.at(-1)!.start).toBe(Math.floor(end / MARGIN_BUCKET_MS) * MARGIN_BUCKET_MS);
  });

  it('keeps the newest 1,000 margin calls of the last 7 days', () => {
    const history = new MarginHistory();
    for (let i = 0; i < MAX_MARGIN_EVENTS + 50; i++) history.record({ time: T0 + i, kind: 'warning', symbol: null, detail: `w${i}` });
    expect(history.state().events).toHaveLength(MAX_MARGIN_EVENTS);
    expect(history.state().events[0]!.detail).toBe('w50');
    history.record({ time: T0 + MARGIN_HISTORY_MS + MAX_MARGIN_EVENTS + 50, kind: 'cut', symbol: 'BTC/USDT:USDT', detail: 'late' });
    expect(history.state().events.map((e) => e.detail)).toEqual(['late']);
  });
});

describe('the margin history’s view', () => {
  it('gives the worst values and the margin calls of the last 24 h and of the last 7 d apart', () => {
    const now = T0 + 7 * 24 * HOUR;
    const history = new MarginHistory();
    history.sample({ time: now - 3 * 24 * HOUR, marginRatio: 0.6, positions: [btc(4)] });
    history.record({ time: now - 3 * 24 * HOUR, kind: 'warning', symbol: null, detail: 'old warning' });
    history.record({ time: now - 3 * 24 * HOUR + 1, kind: 'cut', symbol: 'BTC/USDT:USDT', detail: 'old cut' });
    history.sample({ time: now - 2 * HOUR, marginRatio: 0.3, positions: [btc(10), eth(8)] });
    history.record({ time: now - HOUR, kind: 'warning', symbol: null, detail: 'new warning' });

    const view = history.view(now);
    expect(view.bucketMs).toBe(MARGIN_BUCKET_MS);
    expect(view.day).toMatchObject({ from: now - 24 * HOUR, worstMarginRatioPct: 30, worstDistancePct: 8, worstDistanceSymbol: 'ETH/USDT:USDT', warnings: 1, cuts: 0 });
    expect(view.day.worstMarginRatioAt).toBe(Math.floor((now - 2 * HOUR) / MARGIN_BUCKET_MS) * MARGIN_BUCKET_MS);
    expect(view.week).toMatchObject({ from: now - MARGIN_HISTORY_MS, worstMarginRatioPct: 60, worstDistancePct: 4, worstDistanceSymbol: 'BTC/USDT:USDT', warnings: 2, cuts: 1 });
    expect(view.events.map((e) => e.detail)).toEqual(['old warning', 'old cut', 'new warning']);
  });

  it('has no worst values before any sample', () => {
    expect(new MarginHistory().view(T0).day).toEqual({ from: T0 - 24 * HOUR, worstMarginRatioPct: null, worstMarginRatioAt: null, worstDistancePct: null, worstDistanceSymbol: null, worstDistanceAt: null, warnings: 0, cuts: 0 });
  });

  it('starts from what was kept, in order', () => {
    const kept = new MarginHistory();
    kept.sample({ time: T0, marginRatio: 0.2, positions: [btc(15)] });
    kept.record({ time: T0, kind: 'cut', symbol: 'BTC/USDT:USDT', detail: 'cut' });
    const restored = new MarginHistory(JSON.parse(JSON.stringify(kept.state())));
    expect(restored.view(T0 + HOUR)).toEqual(kept.view(T0 + HOUR));
  });
});
