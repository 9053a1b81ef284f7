import type { Candle, Timeframe } from '../../../shared/domain';
import type { Settings, StrategySettings } from '../../../shared/settings';
import type { BacktestResult } from '../backtest';
import type { FileStrategyData } from '../strategy/worker-messages';

/** Which strategy a backtest runs: a built-in from its settings, or a strategy file's transpiled module with its parameters. */
export type BacktestStrategySpec = { kind: 'built-in'; settings: StrategySettings } | { kind: 'file'; file: FileStrategyData };

/** Everything a backtest worker needs: plain data, copied into the worker. */
export interface BacktestJobData {
  strategy: BacktestStrategySpec;
  /** One entry per symbol, on the strategy's timeframe, oldest first. */
  series: Array<{ symbol: string; timeframe: Timeframe; candles: Candle[] }>;
  settings: Settings;
  balance: number;
  maxConcurrentPositions: number;
  from?: number;
  to?: number;
  /** Set to 1 (Atomics) by the engine to cancel: the run checks it with each progress report. */
  cancel: SharedArrayBuffer;
}

/** What a backtest worker posts: progress (bars done of the total), then its result or its error. */
export type BacktestWorkerMessage = { progress: { done: number; total: number } } | { result: BacktestResult } | { error: string };
