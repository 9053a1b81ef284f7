import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';
import { createRng } from '../sim/random';
import { allocateSeries } from './candle-series';
import type { CandleSeries } from './types';

export interface RandomWalkOptions {
  symbol: string;
  timeframe: Timeframe;
  bars: number;
  /** Open time of the first bar; rounded down to the timeframe. */
  start: number;
  startPrice: number;
  /** Standard deviation of each bar's log return. */
  volatility: number;
  seed: number;
}

/**
 * A seeded random walk of candles (tests and the bench): each bar's close is
 * the open times a normal log return; high and low reach past both by a random
 * share of the volatility. The same options always give the same bars.
 */
export function randomWalk(options: RandomWalkOptions): CandleSeries {
  const tf = TIMEFRAME_MS[options.timeframe];
  const series = allocateSeries(options.symbol, options.timeframe, `random walk (seed ${options.seed})`, options.bars);
  const rng = createRng(options.seed);
  const start = Math.floor(options.start / tf) * tf;
  let price = options.startPrice;
  for (let i = 0; i < options.bars; i++) {
    const open = price;
    const close = open * Math.exp(options.volatility * rng.normal());
    series.time[i] = start + i * tf;
    series.open[i] = open;
    series.close[i] = close;
    series.high[i] = Math.max(open, close) * (1 + options.volatility * rng.next());
    series.low[i] = Math.min(open, close) * (1 - options.volatility * rng.next());
    series.volume[i] = 100 + 900 * rng.next();
    price = close;
  }
  return series;
}
