import type { PriceFeed } from '../types';
import { createLiveFeed, type PublicMarketData } from './live';
import { createPerSymbolFeed } from './per-symbol';
import { createReplayFeed, loadReplayFile, type ReplayData } from './replay';
import { createSyntheticFeed } from './synthetic';
import { errorMessage } from '../../../../shared/error-message';

/**
 * Where paper mode's prices come from:
 * - `synthetic`: the seeded synthetic feed (the default; offline).
 * - `replay`: OHLCV files, one per unified symbol (JSON or CSV, see replay.ts), optionally with a
 *   funding-rate column that paper funding then follows; the markets without a file keep synthetic prices.
 * - `live`: public prices of a ccxt exchange (default binanceusdm), read with no keys; needs internet.
 */
export type FeedChoice = { kind: 'synthetic' } | { kind: 'replay'; files: Record<string, string> } | { kind: 'live'; exchange?: string };

export const DEFAULT_LIVE_FEED_EXCHANGE = 'binanceusdm';
export const DEFAULT_LIVE_FEED_TIMEOUT_MS = 20_000;

/**
 * Reads replay entries written `SYMBOL=PATH` (e.g. `BTC/USDT:USDT=./btc.csv`) into the files of a
 * replay choice. Throws an error naming the entry when one is malformed or a symbol comes twice.
 */
export function parseReplayFiles(entries: readonly string[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of entries) {
    const separator = entry.indexOf('=');
    const symbol = entry.slice(0, Math.max(separator, 0)).trim();
    const path = entry.slice(separator + 1).trim();
    if (separator <= 0 || symbol === '' || path === '') throw new Error(`replay entry "${entry}" must be SYMBOL=PATH, e.g. BTC/USDT:USDT=./btc.csv`);
    if (!/^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/.test(symbol)) throw new Error(`replay entry "${entry}": "${symbol}" is not a unified symbol such as BTC/USDT:USDT`);
    if (Object.hasOwn(files, symbol)) throw new Error(`replay entry "${entry}": ${symbol} already has a file (${files[symbol]})`);
    files[symbol] = path;
  }
  return files;
}

export interface OpenFeedOptions {
  choice: FeedChoice;
  /** The paper markets' unified symbols. */
  symbols: readonly string[];
  /** Seeds the synthetic prices. */
  seed: number;
  /** Builds the keyless exchange the live feed reads (the caller's ccxt edge). Required for `live`. */
  publicMarketData?: (exchange: string) => PublicMarketData | Promise<PublicMarketData>;
  /** How long the live feed may take to load its first prices before it is given up (default 20 s). */
  liveTimeoutMs?: number;
}

/** A ready price feed; {@link OpenedFeed.close} stops whatever polling it does. */
export interface OpenedFeed {
  feed: PriceFeed;
  close(): void;
}

function openReplay(files: Record<string, string>, options: OpenFeedOptions): OpenedFeed {
  const entries = Object.entries(files);
  if (entries.length === 0) throw new Error('Replay feed: no files given; name at least one as SYMBOL=PATH');
  const data = entries.map(([symbol, path]): [string, ReplayData] => {
    if (!options.symbols.includes(symbol)) throw new Error(`Replay feed: ${symbol} is not a paper market; the markets are ${options.symbols.join(', ')}`);
    try {
      return [symbol, loadReplayFile(path)];
    } catch (error) {
      throw new Error(`Replay feed for ${symbol}: ${errorMessage(error)}`);
    }
  });
  const replay = createReplayFeed({
    series: Object.fromEntries(data.map(([symbol, { bars }]) => [symbol, bars])),
    fundingRates: Object.fromEntries(data.map(([symbol, { fundingRates }]) => [symbol, fundingRates])),
  });
  const feeds = Object.fromEntries(entries.map(([symbol]) => [symbol, replay]));
  return { feed: createPerSymbolFeed({ feeds, fallback: createSyntheticFeed({ seed: options.seed }) }), close: () => {} };
}

async function openLive(exchangeId: string, options: OpenFeedOptions): Promise<OpenedFeed> {
  const timeoutMs = options.liveTimeoutMs ?? DEFAULT_LIVE_FEED_TIMEOUT_MS;
  if (!options.publicMarketData) throw new Error('Live feed: no way to reach an exchange was given (publicMarketData)');
  const failure = (cause: string) =>
    new Error(`Cannot start the live price feed on ${exchangeId}: ${cause}. Paper mode on live prices needs internet access to ${exchangeId}'s public market data; the synthetic feed works offline.`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  let feed: ReturnType<typeof createLiveFeed> | undefined;
  const starting = (async () => {
    const exchange = await options.publicMarketData!(exchangeId);
    feed = createLiveFeed({ exchange, symbols: [...options.symbols] });
    await feed.start();
  })();
  try {
    await Promise.race([starting.catch((error: unknown) => Promise.reject(failure(errorMessage(error)))), timeout]);
  } catch (error) {
    void starting.then(
      () => feed?.stop(),
      () => {},
    );
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const started = feed!;
  return { feed: started, close: () => started.stop() };
}

/** Builds the chosen price feed for the paper markets; a live feed has its first prices when this resolves. */
export async function openPaperFeed(options: OpenFeedOptions): Promise<OpenedFeed> {
  const { choice } = options;
  switch (choice.kind) {
    case 'synthetic':
      return { feed: createSyntheticFeed({ seed: options.seed }), close: () => {} };
    case 'replay':
      return openReplay(choice.files, options);
    case 'live':
      return openLive(choice.exchange ?? DEFAULT_LIVE_FEED_EXCHANGE, options);
  }
}
