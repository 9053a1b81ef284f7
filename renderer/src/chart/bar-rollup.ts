import type { Candle } from '../../../shared/domain';

/**
 * Builds the live bar of a longer timeframe (5m, 1h…) from the engine's 1m
 * bars, for charts on a timeframe the engine does not stream. A bar that came
 * from history already holds the volume of the minute in progress when it was
 * loaded, so only what that minute adds afterwards is counted.
 */
export class BarRollup {
  private bar: Candle | null;
  private base = 0;
  private readonly counted = new Map<number, number>();
  private readonly minutes = new Map<number, number>();

  constructor(
    private readonly timeframeMs: number,
    historyBar: Candle | null,
    private readonly loadedAt: number,
  ) {
    this.bar = historyBar ? { ...historyBar } : null;
    this.base = historyBar?.volume ?? 0;
  }

  /** Folds one 1m bar in; returns the longer bar to draw, or null for a minute older than it. */
  add(minute: Candle): Candle | null {
    const start = Math.floor(minute.time / this.timeframeMs) * this.timeframeMs;
    if (this.bar && start < this.bar.time) return null;
    if (!this.bar || start > this.bar.time) {
      this.bar = { time: start, open: minute.open, high: minute.high, low: minute.low, close: minute.close, volume: 0 };
      this.base = 0;
      this.counted.clear();
      this.minutes.clear();
    } else {
      this.bar.high = Math.max(this.bar.high, minute.high);
      this.bar.low = Math.min(this.bar.low, minute.low);
      this.bar.close = minute.close;
    }
    if (!this.counted.has(minute.time)) this.counted.set(minute.time, this.base > 0 && minute.time <= this.loadedAt ? minute.volume : 0);
    this.minutes.set(minute.time, minute.volume);
    let added = 0;
    for (const [time, volume] of this.minutes) added += volume - (this.counted.get(time) ?? 0);
    this.bar.volume = this.base + added;
    return { ...this.bar };
  }
}
