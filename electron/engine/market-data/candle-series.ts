import type { Candle } from '../../../shared/domain';

/** One symbol and timeframe's bars, oldest first, one per open time, at most `capacity` of them. */
export class CandleSeries {
  private bars: Candle[] = [];

  constructor(
    readonly timeframeMs: number,
    private readonly capacity = 1500,
  ) {}

  get length(): number {
    return this.bars.length;
  }

  /** Inserts or replaces the bar with the same open time, keeping order. */
  upsert(candle: Candle): void {
    const bars = this.bars;
    const last = bars[bars.length - 1];
    if (!last || candle.time > last.time) bars.push({ ...candle });
    else if (candle.time === last.time) bars[bars.length - 1] = { ...candle };
    else {
      const index = bars.findIndex((b) => b.time >= candle.time);
      if (bars[index]!.time === candle.time) bars[index] = { ...candle };
      else bars.splice(index, 0, { ...candle });
    }
    if (bars.length > this.capacity) bars.splice(0, bars.length - this.capacity);
  }

  merge(candles: readonly Candle[]): void {
    for (const c of candles) this.upsert(c);
  }

  last(): Candle | null {
    const bar = this.bars[this.bars.length - 1];
    return bar ? { ...bar } : null;
  }

  /** The newest `limit` bars, as copies. */
  tail(limit: number): Candle[] {
    return this.bars.slice(-limit).map((b) => ({ ...b }));
  }

  /** Bars with open time in (after, until], as copies. */
  between(after: number, until: number): Candle[] {
    return this.bars.filter((b) => b.time > after && b.time <= until).map((b) => ({ ...b }));
  }

  /** Open times missing between two bars, e.g. after a dropped connection. */
  missingBetween(after: number, before: number): number {
    return Math.max(0, Math.round((before - after) / this.timeframeMs) - 1);
  }
}
