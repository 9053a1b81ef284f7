import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../shared/domain';
import type { ExchangeAdapter } from '../exchange/adapter';
import { withRetry, type RetryOptions } from '../exchange/retry';

/** Bars asked for per request: what Binance, Bybit and the simulated venue serve at most in one page. */
export const HISTORY_PAGE = 1_000;

export interface HistoryRequest {
  symbol: string;
  timeframe: Timeframe;
  from: number;
  to: number;
}

/**
 * The exchange's candle history for backtests (ccxt's fetchOHLCV live; the
 * simulated venue's in paper mode), fetched page by page with progress and
 * kept in memory per symbol and timeframe, so a second run over the same
 * range asks the exchange nothing. Only closed bars are returned.
 */
export class HistoryLoader {
  private readonly cache = new Map<string, { from: number; to: number; bars: Candle[] }>();

  constructor(
    private readonly adapter: Pick<ExchangeAdapter, 'fetchOHLCV'>,
    private readonly now: () => number,
    private readonly retry: Pick<RetryOptions, 'policy' | 'sleep'> = {},
  ) {}

  /** Bars opening in [from, to), oldest first; `onProgress` gets the share of the range fetched (0–1). Aborting stops between pages. */
  async load(request: HistoryRequest, onProgress: (fraction: number) => void = () => {}, signal?: AbortSignal): Promise<Candle[]> {
    const tf = TIMEFRAME_MS[request.timeframe];
    const to = Math.min(request.to, Math.floor(this.now() / tf) * tf);
    const key = `${request.symbol}|${request.timeframe}`;
    const cached = this.cache.get(key);
    if (cached && cached.from <= request.from && cached.to >= to) {
      onProgress(1);
      return cached.bars.filter((c) => c.time >= request.from && c.time < to);
    }
    const bars: Candle[] = [];
    let since = request.from;
    while (since < to) {
      signal?.throwIfAborted();
      const page = await withRetry(() => this.adapter.fetchOHLCV(request.symbol, request.timeframe, since, HISTORY_PAGE), this.retry);
      signal?.throwIfAborted();
      const fresh = page.filter((c) => c.time >= since && c.time < to);
      bars.push(...fresh);
      const next = (page.at(-1)?.time ?? -Infinity) + tf;
      if (fresh.length === 0 || next <= since) break;
      since = next;
      onProgress(Math.min(1, (since - request.from) / (to - request.from)));
    }
    onProgress(1);
    this.cache.set(key, { from: request.from, to, bars });
    return bars;
  }
}
