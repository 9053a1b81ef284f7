import { TIMEFRAME_MS, type Candle, type Ticker, type Timeframe } from '../../../shared/domain';
import type { ExchangeAdapter } from '../exchange/adapter';
import { withRetry } from '../exchange/retry';
import { CandleSeries } from './candle-series';
import { errorMessage } from '../../../shared/error-message';

export type ClosedCandleListener = (symbol: string, timeframe: Timeframe, candle: Candle) => void;
export type CandleUpdateListener = (symbol: string, timeframe: Timeframe, candle: Candle, closed: boolean) => void;
export type MarkListener = (ticker: Ticker) => void;

export interface MarketDataOptions {
  adapter: ExchangeAdapter;
  /** Bars kept per series. */
  capacity?: number;
  /** Called when a backfill or gap repair fails; market data carries on. */
  onError?: (message: string) => void;
}

const key = (symbol: string, timeframe: Timeframe) => `${symbol}|${timeframe}`;

/**
 * Candles and tickers for the symbols and timeframes in use. Bars arrive by
 * the adapter's stream and are checked against REST: history is backfilled on
 * start, and a gap (a skipped bar, or a reconnect) is repaired from REST before
 * later bars are passed on. Each closed bar reaches the closed-candle listeners
 * exactly once, in order; listeners must not block (the strategy runner queues).
 */
export class MarketData {
  private readonly series = new Map<string, CandleSeries>();
  /** Open time of the newest closed bar handed to listeners, per series. */
  private readonly delivered = new Map<string, number>();
  /** Per-series chain that keeps repairs and deliveries in order. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly tickers = new Map<string, Ticker>();
  private readonly closedListeners = new Set<ClosedCandleListener>();
  private readonly updateListeners = new Set<CandleUpdateListener>();
  private readonly markListeners = new Set<MarkListener>();

  constructor(private readonly options: MarketDataOptions) {}

  onClosedCandle(listener: ClosedCandleListener): () => void {
    this.closedListeners.add(listener);
    return () => this.closedListeners.delete(listener);
  }

  onCandle(listener: CandleUpdateListener): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  /** Mark-price updates, as they arrive (the breakers watch these). */
  onMark(listener: MarkListener): () => void {
    this.markListeners.add(listener);
    return () => this.markListeners.delete(listener);
  }

  ticker(symbol: string): Ticker | null {
    const t = this.tickers.get(symbol);
    return t ? { ...t } : null;
  }

  allTickers(): Ticker[] {
    return [...this.tickers.values()].map((t) => ({ ...t }));
  }

  /** Closed bars in memory, oldest first (copies). */
  closedCandles(symbol: string, timeframe: Timeframe, limit: number): Candle[] {
    const s = this.series.get(key(symbol, timeframe));
    const until = this.delivered.get(key(symbol, timeframe));
    if (!s || until === undefined) return [];
    return s.between(-Infinity, until).slice(-limit);
  }

  /**
   * Loads history for one series. Every bar but the newest counts as closed
   * (the newest may still be forming); it becomes the series' starting point.
   */
  async backfill(symbol: string, timeframe: Timeframe, limit: number): Promise<void> {
    const k = key(symbol, timeframe);
    const bars = await withRetry(() => this.options.adapter.fetchOHLCV(symbol, timeframe, undefined, limit));
    const s = this.seriesFor(symbol, timeframe);
    s.merge(bars);
    const closed = bars.slice(0, -1);
    const newestClosed = closed[closed.length - 1];
    if (newestClosed && newestClosed.time > (this.delivered.get(k) ?? -Infinity)) this.delivered.set(k, newestClosed.time);
  }

  /** History for the chart: from memory when enough is there, else from REST. */
  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const s = this.series.get(key(symbol, timeframe));
    if (s && s.length >= limit) return s.tail(limit);
    const bars = await withRetry(() => this.options.adapter.fetchOHLCV(symbol, timeframe, undefined, limit));
    if (s) s.merge(bars);
    return bars;
  }

  ingestTicker(ticker: Ticker): void {
    this.tickers.set(ticker.symbol, { ...ticker });
    for (const listener of this.markListeners) listener({ ...ticker });
  }

  /** A bar from the stream: stored and passed on at once; a closed one is delivered in order after any gap is repaired. */
  ingestCandle(symbol: string, timeframe: Timeframe, candle: Candle, closed: boolean): void {
    this.seriesFor(symbol, timeframe).upsert(candle);
    for (const listener of this.updateListeners) listener(symbol, timeframe, { ...candle }, closed);
    if (closed) this.enqueue(symbol, timeframe, () => this.deliverThrough(symbol, timeframe, candle));
  }

  /** After a reconnect: fetch what the stream missed and deliver it, for every series. */
  repairAll(): Promise<void> {
    const jobs = [...this.series.keys()].map((k) => {
      const [symbol, timeframe] = k.split('|') as [string, Timeframe];
      return this.enqueue(symbol, timeframe, () => this.repair(symbol, timeframe, null));
    });
    return Promise.all(jobs).then(() => undefined);
  }

  /** Waits until every queued delivery and repair has run (for orderly shutdown and tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }

  private seriesFor(symbol: string, timeframe: Timeframe): CandleSeries {
    const k = key(symbol, timeframe);
    let s = this.series.get(k);
    if (!s) {
      s = new CandleSeries(TIMEFRAME_MS[timeframe], this.options.capacity);
      this.series.set(k, s);
    }
    return s;
  }

  private enqueue(symbol: string, timeframe: Timeframe, job: () => Promise<void>): Promise<void> {
    const k = key(symbol, timeframe);
    const next = (this.chains.get(k) ?? Promise.resolve()).then(job).catch((error) => this.reportError(`${symbol} ${timeframe}: ${errorMessage(error)}`));
    this.chains.set(k, next);
    return next;
  }

  /** The chain must never reject: a throwing observer would skip every later job of the series and escape as an unhandled rejection. */
  private reportError(message: string): void {
    try {
      this.options.onError?.(message);
    } catch (error) {
      console.error(`market data: ${message} (and reporting it failed: ${errorMessage(error)})`);
    }
  }

  private async deliverThrough(symbol: string, timeframe: Timeframe, closedBar: Candle): Promise<void> {
    const k = key(symbol, timeframe);
    const last = this.delivered.get(k);
    if (last !== undefined && closedBar.time <= last) return;
    if (last !== undefined && closedBar.time - last > TIMEFRAME_MS[timeframe]) await this.repair(symbol, timeframe, closedBar.time);
    this.deliver(symbol, timeframe, [closedBar]);
  }

  /** Fetches bars after the last delivered one (up to `before`, exclusive) and delivers the closed ones. */
  private async repair(symbol: string, timeframe: Timeframe, before: number | null): Promise<void> {
    const k = key(symbol, timeframe);
    const last = this.delivered.get(k);
    if (last === undefined) return;
    const tf = TIMEFRAME_MS[timeframe];
    const bars = await withRetry(() => this.options.adapter.fetchOHLCV(symbol, timeframe, last + tf, 1000));
    const s = this.seriesFor(symbol, timeframe);
    s.merge(bars);
    const newest = bars[bars.length - 1];
    const closed = bars.filter((b) => b.time > last && (before === null ? b !== newest : b.time < before));
    this.deliver(symbol, timeframe, closed);
  }

  private deliver(symbol: string, timeframe: Timeframe, bars: Candle[]): void {
    const k = key(symbol, timeframe);
    for (const bar of bars.sort((a, b) => a.time - b.time)) {
      if (bar.time <= (this.delivered.get(k) ?? -Infinity)) continue;
      this.delivered.set(k, bar.time);
      for (const listener of this.closedListeners) listener(symbol, timeframe, { ...bar });
    }
  }
}
