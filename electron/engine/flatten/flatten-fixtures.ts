import type { MarketInfo } from '../../../shared/domain';
import { roundDownToStep, roundToTick } from '../../../shared/risk/precision';
import { createSyntheticFeed, DEFAULT_PROFILES, type SyntheticProfile } from '../sim/feeds/synthetic';
import { defaultMarkets, usdcPerpetual } from '../sim/markets';
import { createSimExchange } from '../sim/sim-exchange';
import type { SimExchange } from '../sim/types';

/*
 * The account the flatten tests and the benchmark flatten: ten markets on a
 * simulated exchange, and positions opened straight on it.
 */

/** Extra symbols for tests and the benchmark, each with the specs of a default market it resembles. */
const EXTRA: ReadonlyArray<{ base: string; like: string; profile: SyntheticProfile }> = [
  { base: 'LTC', like: 'SOL/USDT:USDT', profile: { startPrice: 85, annualVolatility: 0.8, volumePerSecond: 400 } },
  { base: 'ADA', like: 'XRP/USDT:USDT', profile: { startPrice: 0.45, annualVolatility: 0.9, volumePerSecond: 30_000 } },
  { base: 'DOGE', like: 'XRP/USDT:USDT', profile: { startPrice: 0.15, annualVolatility: 1.0, volumePerSecond: 90_000 } },
  { base: 'BNB', like: 'ETH/USDT:USDT', profile: { startPrice: 580, annualVolatility: 0.6, volumePerSecond: 60 } },
  { base: 'AVAX', like: 'SOL/USDT:USDT', profile: { startPrice: 35, annualVolatility: 0.95, volumePerSecond: 500 } },
  { base: 'LINK', like: 'SOL/USDT:USDT', profile: { startPrice: 14, annualVolatility: 0.9, volumePerSecond: 900 } },
];

/**
 * Ten USDⓈ-M markets for flatten tests and the benchmark: the simulator's four
 * defaults plus six more that borrow a default market's specs and tiers.
 */
export function tenMarkets(): { markets: MarketInfo[]; profiles: Record<string, SyntheticProfile> } {
  const defaults = defaultMarkets();
  const markets = [...defaults];
  const profiles: Record<string, SyntheticProfile> = { ...DEFAULT_PROFILES };
  for (const extra of EXTRA) {
    const like = defaults.find((m) => m.symbol === extra.like)!;
    const symbol = `${extra.base}/USDT:USDT`;
    markets.push({ ...structuredClone(like), symbol, id: `${extra.base}USDT`, base: extra.base });
    profiles[symbol] = extra.profile;
  }
  return { markets, profiles };
}

/** {@link tenMarkets} and BTC/USDC:USDC, a market the cockpit does not list but a user may hold a position on. */
export function tenMarketsAndUsdc(): { markets: MarketInfo[]; profiles: Record<string, SyntheticProfile> } {
  const { markets, profiles } = tenMarkets();
  return { markets: [...markets, usdcPerpetual()], profiles: { ...profiles, 'BTC/USDC:USDC': profiles['BTC/USDT:USDT']! } };
}

/** A simulated exchange on {@link tenMarkets} (with `usdc`, {@link tenMarketsAndUsdc}), for the venue in flatten tests and the benchmark. */
export function createTenMarketExchange(options: { seed?: number; startBalance?: number; startTime?: number; usdc?: boolean } = {}): SimExchange {
  const seed = options.seed ?? 1;
  const { markets, profiles } = options.usdc ? tenMarketsAndUsdc() : tenMarkets();
  return createSimExchange({
    markets,
    feed: createSyntheticFeed({ seed, profiles }),
    startTime: options.startTime ?? Date.now(),
    startBalance: options.startBalance ?? 1_000_000,
    seed,
    warmupBars: 30,
  });
}

/**
 * Opens a position straight on the exchange core, as a user would by hand or
 * another app would, at 5x; with `protect`, adds a mark-price stop-loss
 * (close-position) and a reduce-only take-profit, 10% away. Returns the size.
 */
export function openProtectedPosition(sim: SimExchange, symbol: string, side: 'long' | 'short', notional = 2_000, protect = true): number {
  const market = sim.market(symbol);
  const mark = sim.mark(symbol).markPrice;
  const quantity = roundDownToStep(notional / mark, market.amountStep);
  sim.setLeverage(symbol, 5);
  sim.placeOrder({ symbol, side: side === 'long' ? 'BUY' : 'SELL', type: 'MARKET', quantity });
  if (protect) {
    const away = (f: number) => roundToTick(mark * f, market.tickSize);
    const exit = side === 'long' ? 'SELL' : 'BUY';
    sim.placeOrder({ symbol, side: exit, type: 'STOP_MARKET', stopPrice: away(side === 'long' ? 0.9 : 1.1), closePosition: true, workingType: 'mark' });
    sim.placeOrder({ symbol, side: exit, type: 'TAKE_PROFIT_MARKET', stopPrice: away(side === 'long' ? 1.1 : 0.9), quantity, reduceOnly: true, workingType: 'mark' });
  }
  return quantity;
}
