import type { Candle, Timeframe } from '../../../shared/domain';
import type { Settings, StrategySettings } from '../../../shared/settings';
import type { FileStrategyData } from '../strategy/worker-messages';

/** Which strategy a backtest runs: a built-in from its settings, or a strategy file's transpiled module with its parameters. */
export type BacktestStrategySpec = { kind: 'built-in'; settings: StrategySettings } | { kind: 'file'; file: FileStrategyData };

/** One backtest the cockpit runs (the Backtest view, a record): the strategy, the candles, the account. */
export interface BacktestJobData {
  strategy: BacktestStrategySpec;
  /** One entry per symbol, on the strategy's timeframe, oldest first. */
  series: Array<{ symbol: string; timeframe: Timeframe; candles: Candle[] }>;
  settings: Settings;
  balance: number;
  from?: number;
  to?: number;
}
