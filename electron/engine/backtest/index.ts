/**
 * The backtest: a strategy over candles with the paper exchange's physics.
 * The public API is what this module exports.
 *
 * @example
 * const result = runBacktest({
 *   strategy: trendPullback(settings.strategies[0]),
 *   data: [{ candles: candleSeries('BTC/USDT:USDT', '1m', candles) }],
 *   settings,
 *   balance: 10_000,
 *   onProgress: (done, total) => bar.update(done / total),
 *   isCancelled: () => cancelled,
 * });
 */
export { runBacktest } from './backtest';
export { BadDataError, candleSeries, validateSeries } from './candle-series';
export { netResult } from './summary';
export type {
  BacktestOptions,
  BacktestResult,
  BacktestSummary,
  BacktestTiming,
  BacktestTrade,
  BreakerTrip,
  CandleSeries,
  EquityCurve,
  ExitReason,
  FundingSeries,
  MarkSeries,
  SymbolData,
} from './types';
export { runInWorker, type RunningBacktest, type WorkerJob } from './worker-job';
export { applyAssignments, strategyOf, type RunSetup, type StrategySpec } from './run-setup';
export { loadCandles, loadFunding, loadMark } from './data-files';
export { loadFreqtradePair } from './freqtrade-layout';
