import { DEFAULT_SETTINGS } from '../../shared/settings';
import { runBacktest } from '../../electron/engine/backtest/backtest';
import { randomWalk } from '../../electron/engine/backtest/random-walk';
import type { CandleSeries } from '../../electron/engine/backtest/types';
import { PullbackIndicators, trendPullback } from '../../electron/engine/strategy/trend-pullback';

export const BENCH_CANDLES = 2_000_000;
const WARM_UP_CANDLES = 100_000;

export interface BacktestBench {
  candles: number;
  wallMs: number;
  candlesPerS: number;
  floorMs: number;
  floorRatio: number;
  trades: number;
}

const seedSettings = () => DEFAULT_SETTINGS.strategies.find((s) => s.id === 'trend-pullback')!;

/** The floor: the strategy's own indicators (trading-signals SMA, RSI, ATR) fed the same candles, with nothing else. */
function floor(series: CandleSeries, bars: number): number {
  const indicators = new PullbackIndicators(seedSettings());
  const candle = { time: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  const started = performance.now();
  for (let i = 0; i < bars; i++) {
    candle.time = series.time[i]!;
    candle.open = series.open[i]!;
    candle.high = series.high[i]!;
    candle.low = series.low[i]!;
    candle.close = series.close[i]!;
    candle.volume = series.volume[i]!;
    indicators.add(candle);
    indicators.read();
  }
  return performance.now() - started;
}

function backtest(series: CandleSeries, to: number) {
  return runBacktest({ strategy: trendPullback(seedSettings()), data: [{ candles: series }], settings: DEFAULT_SETTINGS, balance: 10_000, to });
}

/**
 * A seeded random walk of 2,000,000 one-minute candles on one symbol, through
 * the built-in trend-pullback strategy with its seed parameters; the floor is
 * the same indicators over the same candles. Both are warmed up first.
 */
export function benchBacktest(): BacktestBench {
  const series = randomWalk({ symbol: 'BTC/USDT:USDT', timeframe: '1m', bars: BENCH_CANDLES, start: Date.UTC(2020, 0, 1), startPrice: 60_000, volatility: 0.001, seed: 2026 });
  floor(series, WARM_UP_CANDLES);
  backtest(series, series.time[WARM_UP_CANDLES]!);
  const floorMs = floor(series, BENCH_CANDLES);
  const started = performance.now();
  const result = backtest(series, Infinity);
  const wallMs = performance.now() - started;
  return {
    candles: result.summary.candles,
    wallMs,
    candlesPerS: Math.round((result.summary.candles / wallMs) * 1000),
    floorMs,
    floorRatio: wallMs / floorMs,
    trades: result.summary.trades,
  };
}

export function backtestBenchLine(b: BacktestBench): string {
  return `backtest_bench: candles=${b.candles} wall_ms=${Math.round(b.wallMs)} candles_per_s=${b.candlesPerS} floor_ratio=${b.floorRatio.toFixed(2)}`;
}
