import type { PriceFeed } from '../types';

export interface PerSymbolFeedOptions {
  /** The feed each named symbol reads from. */
  feeds: Record<string, PriceFeed>;
  /** The feed of every symbol not named in {@link feeds}. */
  fallback: PriceFeed;
}

/**
 * One price feed made of several: each symbol reads from its own feed, the rest from the fallback,
 * e.g. a replayed file for BTC and synthetic prices for the other markets. A symbol whose feed has
 * no history gets none, so the simulator warms it up from `next` as usual. It ends where the latest
 * of the named feeds ends (the fallback's endless prices do not count).
 */
export function createPerSymbolFeed(options: PerSymbolFeedOptions): PriceFeed {
  const feeds = new Map(Object.entries(options.feeds));
  const feedOf = (symbol: string): PriceFeed => feeds.get(symbol) ?? options.fallback;
  return {
    next: (symbol, time) => feedOf(symbol).next(symbol, time),
    history: (symbol, until, bars) => feedOf(symbol).history?.(symbol, until, bars) ?? [],
    end: () => {
      const ends = [...feeds.values()].map((feed) => feed.end?.()).filter((end): end is number => end !== undefined);
      return ends.length ? Math.max(...ends) : undefined;
    },
    fundingRate: (symbol, fundingTime) => feedOf(symbol).fundingRate?.(symbol, fundingTime),
  };
}
