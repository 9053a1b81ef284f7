/**
 * Building blocks for tests that drive ccxt against the venue: a scripted price
 * feed (so a test decides when a stop triggers or a position is liquidated) and
 * ccxt clients pointed at a venue.
 */
import ccxt from 'ccxt';
import { defaultMarkets } from '../engine/sim/markets';
import { createSimExchange } from '../engine/sim/sim-exchange';
import type { PriceFeed, SimExchange, SimOptions } from '../engine/sim/types';
import { pointCcxtAtVenue } from './ccxt-urls';
import type { Venue } from './server';

/** 2024-01-01T00:00:00Z: scripted scenarios start here. */
export const SCENARIO_START = Date.UTC(2024, 0, 1);

export const BASE_PRICES: Readonly<Record<string, number>> = {
  'BTC/USDT:USDT': 60_000,
  'ETH/USDT:USDT': 3_000,
  'SOL/USDT:USDT': 150,
  'XRP/USDT:USDT': 0.5,
};

/** A price path as a multiple of each symbol's base price, by simulated time. */
export type PricePath = (time: number) => number;

/** A feed that follows `path` exactly, with a steady volume. */
function scriptedFeed(path: PricePath, volumePerTick = 1_000): PriceFeed {
  return {
    next(symbol, time) {
      const base = BASE_PRICES[symbol];
      if (base === undefined) throw new Error(`scriptedFeed has no base price for ${symbol}`);
      return { price: base * path(time), volume: volumePerTick };
    },
  };
}

/** A core on the default markets following `path`, starting at {@link SCENARIO_START} with `startBalance` USDT. */
export function scriptedExchange(path: PricePath, overrides: Partial<SimOptions> = {}): SimExchange {
  return createSimExchange({
    markets: defaultMarkets(),
    feed: scriptedFeed(path),
    startTime: SCENARIO_START,
    startBalance: 10_000,
    seed: 7,
    warmupBars: 30,
    premium: () => 0,
    ...overrides,
  });
}

/** An unmodified ccxt binanceusdm (REST) pointed at the venue (or at one started by `npm run venue`, from the address it prints). */
export function restClient(venue: Pick<Venue, 'url' | 'apiKey' | 'apiSecret'>, credentials: { apiKey: string; secret: string } = { apiKey: venue.apiKey, secret: venue.apiSecret }) {
  return pointCcxtAtVenue(new ccxt.binanceusdm({ ...credentials, timeout: 5_000, enableRateLimit: false }), venue.url);
}

/** An unmodified ccxt.pro binanceusdm (REST and WebSocket) pointed at the venue. */
export function proClient(venue: Venue) {
  return pointCcxtAtVenue(new ccxt.pro.binanceusdm({ apiKey: venue.apiKey, secret: venue.apiSecret, timeout: 5_000, enableRateLimit: false }), venue.url);
}
