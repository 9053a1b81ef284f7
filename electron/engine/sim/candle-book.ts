import { TIMEFRAMES, TIMEFRAME_MS, type Candle, type Timeframe } from '../../../shared/domain';
import type { SimKline } from './types';

/** A bar that changed on a tick, with its quote volume; `closed` when a later tick started the next bar. */
export interface CandleUpdate {
  timeframe: Timeframe;
  candle: Candle;
  quoteVolume: number;
  closed: boolean;
}

export interface CandleQuery {
  since?: number;
  until?: number;
  limit?: number;
}

const DEFAULT_LIMIT = 500;

const openTime = (time: number, timeframe: Timeframe): number => Math.floor(time / TIMEFRAME_MS[timeframe]) * TIMEFRAME_MS[timeframe];
const candleOf = ({ time, open, high, low, close, volume }: SimKline): Candle => ({ time, open, high, low, close, volume });

/**
 * Candles of one symbol on every timeframe, built from ticks; keeps the newest `maxBars` of each.
 * Each tick's volume trades at its price, so a bar's quote volume is Σ price × volume of its ticks.
 */
export class CandleBook {
  private readonly bars = new Map<Timeframe, SimKline[]>(TIMEFRAMES.map((tf) => [tf, []]));

  constructor(private readonly maxBars = 10_000) {}

  /** Adds one trade price and the volume since the previous tick; returns the bars it touched. */
  record(time: number, price: number, volume: number): CandleUpdate[] {
    const updates: CandleUpdate[] = [];
    for (const timeframe of TIMEFRAMES) {
      const series = this.bars.get(timeframe)!;
      const start = openTime(time, timeframe);
      const current = series[series.length - 1];
      if (current && current.time === start) {
        current.high = Math.max(current.high, price);
        current.low = Math.min(current.low, price);
        current.close = price;
        current.volume += volume;
        current.quoteVolume += price * volume;
      } else {
        if (current && current.time > start) throw new Error(`Candle time went backwards: ${start} after ${current.time}`);
        if (current) updates.push({ timeframe, candle: candleOf(current), quoteVolume: current.quoteVolume, closed: true });
        series.push({ time: start, open: price, high: price, low: price, close: price, volume, quoteVolume: price * volume });
        if (series.length > this.maxBars) series.splice(0, series.length - this.maxBars);
      }
      const latest = series[series.length - 1]!;
      updates.push({ timeframe, candle: candleOf(latest), quoteVolume: latest.quoteVolume, closed: false });
    }
    return updates;
  }

  /** Adds whole one-minute bars of history (oldest first) to every timeframe; a bar's volume counts at its close. */
  recordBars(bars: readonly Candle[]): void {
    for (const bar of bars) {
      this.record(bar.time, bar.open, 0);
      this.record(bar.time, bar.high, 0);
      this.record(bar.time, bar.low, 0);
      this.record(bar.time, bar.close, bar.volume);
    }
  }

  /**
   * Bars of one timeframe, oldest first. With `since`, the first `limit` bars opening at or after it;
   * otherwise the last `limit` bars opening before `until` (default 500).
   */
  candles(timeframe: Timeframe, query: CandleQuery = {}): Candle[] {
    return this.klines(timeframe, query).map(candleOf);
  }

  /** As {@link candles}, each bar with its quote volume. */
  klines(timeframe: Timeframe, query: CandleQuery = {}): SimKline[] {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const series = this.bars.get(timeframe)!.filter(
      (c) => (query.since === undefined || c.time >= query.since) && (query.until === undefined || c.time <= query.until),
    );
    const picked = query.since !== undefined ? series.slice(0, limit) : series.slice(Math.max(0, series.length - limit));
    return picked.map((c) => ({ ...c }));
  }
}
