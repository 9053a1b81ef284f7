import type { Candle } from '../../../../shared/domain';
import type { RunnerTimers } from '../sim-runner';
import type { PriceFeed } from '../types';
import { errorMessage } from '../../../../shared/error-message';

/** The public, keyless part of a ccxt exchange the live feed uses (e.g. `new ccxt.binanceusdm()`). */
export interface PublicMarketData {
  readonly id?: string;
  fetchTicker(symbol: string): Promise<{ last?: number | undefined; baseVolume?: number | undefined }>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<(number | undefined)[][]>;
}

export interface LiveFeedOptions {
  exchange: PublicMarketData;
  symbols: string[];
  /** Milliseconds between ticker polls (default 2,000). */
  pollMs?: number;
  /** One-minute bars fetched at start for the chart's history (default 500, at most 1,500). */
  historyBars?: number;
  timers?: RunnerTimers;
  /** Called when a poll fails; the feed keeps the last price and tries again at the next poll. */
  onError?: (symbol: string, error: unknown) => void;
}

/** A live feed; {@link LiveFeed.start} must finish before a simulator is built on it. */
export interface LiveFeed extends PriceFeed {
  /** Loads each symbol's recent history and first price; rejects when the exchange cannot be reached. */
  start(): Promise<void>;
  stop(): void;
  /** The latest poll error, or null while polls succeed. */
  lastError(): string | null;
}

interface Quote {
  price: number;
  /** Base asset traded per millisecond, from the 24-hour volume. */
  volumeRate: number;
}

const DAY_MS = 86_400_000;

function toCandles(rows: (number | undefined)[][]): Candle[] {
  return rows
    .filter((row) => row.length >= 6 && row.slice(0, 6).every((v) => typeof v === 'number' && Number.isFinite(v)))
    .map(([time, open, high, low, close, volume]) => ({ time: time!, open: open!, high: high!, low: low!, close: close!, volume: volume! }));
}

/**
 * Live public prices through ccxt, with no keys: polls each symbol's ticker and serves the latest
 * last price. Live trades are not replayed, so the volume a tick reports is the 24-hour average rate
 * over the time since the previous call. The simulated time passed to `next` is not used: live
 * prices are always now, so run the simulator in real time on it.
 */
export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const pollMs = options.pollMs ?? 2_000;
  const historyBars = Math.min(options.historyBars ?? 500, 1_500);
  if (!(pollMs > 0)) throw new Error(`Live feed: pollMs must be above zero, got ${pollMs}`);
  if (!options.symbols.length) throw new Error('Live feed: no symbols given');
  const timers = options.timers ?? {
    setTimeout: (callback: () => void, ms: number) => setTimeout(callback, ms),
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
  const name = options.exchange.id ?? 'the exchange';
  const quotes = new Map<string, Quote>();
  const histories = new Map<string, Candle[]>();
  const lastCall = new Map<string, number>();
  let error: string | null = null;
  let handle: unknown = null;
  let running = false;

  const quote = async (symbol: string): Promise<Quote> => {
    const ticker = await options.exchange.fetchTicker(symbol);
    if (typeof ticker.last !== 'number' || !Number.isFinite(ticker.last) || ticker.last <= 0) {
      throw new Error(`${name} gave no last price for ${symbol}`);
    }
    const daily = typeof ticker.baseVolume === 'number' && Number.isFinite(ticker.baseVolume) && ticker.baseVolume > 0 ? ticker.baseVolume : 0;
    return { price: ticker.last, volumeRate: daily / DAY_MS };
  };

  const poll = async () => {
    handle = null;
    const failures: string[] = [];
    await Promise.all(
      options.symbols.map(async (symbol) => {
        try {
          quotes.set(symbol, await quote(symbol));
        } catch (e) {
          failures.push(`${symbol}: ${errorMessage(e)}`);
          options.onError?.(symbol, e);
        }
      }),
    );
    error = failures.length ? failures.join('; ') : null;
    if (running) handle = timers.setTimeout(() => void poll(), pollMs);
  };

  return {
    async start() {
      await Promise.all(
        options.symbols.map(async (symbol) => {
          try {
            quotes.set(symbol, await quote(symbol));
            histories.set(symbol, historyBars > 0 ? toCandles(await options.exchange.fetchOHLCV(symbol, '1m', undefined, historyBars)) : []);
          } catch (e) {
            throw new Error(`Live feed: cannot load ${symbol} from ${name}: ${errorMessage(e)}`);
          }
        }),
      );
      running = true;
      handle = timers.setTimeout(() => void poll(), pollMs);
    },
    stop() {
      running = false;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
    lastError: () => error,
    next(symbol, time) {
      const current = quotes.get(symbol);
      if (!current) throw new Error(`Live feed: no price for ${symbol} yet; await start() first (symbols: ${options.symbols.join(', ')})`);
      const previous = lastCall.get(symbol) ?? time;
      lastCall.set(symbol, time);
      return { price: current.price, volume: current.volumeRate * Math.max(0, time - previous) };
    },
    history(symbol, until, bars) {
      const closed = (histories.get(symbol) ?? []).filter((c) => c.time + 60_000 <= until);
      return closed.slice(Math.max(0, closed.length - bars)).map((c) => ({ ...c }));
    },
  };
}
