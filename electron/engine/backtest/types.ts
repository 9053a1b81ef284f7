import type { BacktestSummaryView, BreakerAction, MarketInfo, Side, Timeframe } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import type { SlippageModel } from '../sim/types';
import type { Strategy } from '../strategy/strategy';

/**
 * One symbol's candles in typed arrays, oldest first, one bar per `timeframe`
 * with no gaps (see `candleSeries`). Times are bar open times in epoch ms.
 */
export interface CandleSeries {
  symbol: string;
  timeframe: Timeframe;
  /** Where the bars came from (a file path, `memory`, …): errors name it. */
  source: string;
  time: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** Funding rates per settlement: `rate[i]` applies at `time[i]` (freqtrade's funding-rate candles carry it in the open column). */
export interface FundingSeries {
  source: string;
  time: Float64Array;
  rate: Float64Array;
}

/** Mark-price candles (freqtrade's `-mark` files): open and close per bar of `intervalMs`. */
export interface MarkSeries {
  source: string;
  intervalMs: number;
  time: Float64Array;
  open: Float64Array;
  close: Float64Array;
}

/** Everything known of one symbol for a backtest. */
export interface SymbolData {
  candles: CandleSeries;
  /** Funding from this file; without it, from the simulated premium as in paper mode. */
  funding?: FundingSeries;
  /** Mark prices from this file; without them, the simulated premium as in paper mode. */
  mark?: MarkSeries;
}

/** How a backtest is run. Every field but `strategy`, `data`, `settings` and `balance` has a default. */
export interface BacktestOptions {
  /** The strategy, built: a built-in one from its settings, or a user strategy file's default export. */
  strategy: Strategy;
  /** One entry per symbol, all on the strategy's timeframe. */
  data: SymbolData[];
  /** Risk and breaker settings, as the cockpit's settings hold them. */
  settings: Settings;
  /** Starting wallet balance in USDT. */
  balance: number;
  /** Open positions the strategy may hold at once (its `maxConcurrentPositions`). Default 3. */
  maxConcurrentPositions?: number;
  /** Only bars opening at or after this time (epoch ms) are traded; earlier ones only warm the strategy up. */
  from?: number;
  /** Only bars opening before this time (epoch ms) are used. */
  to?: number;
  /** Market specifications (tick, step, fees, tiers). Default: the simulator's Binance USDⓈ-M markets. */
  markets?: MarketInfo[];
  /** Seed of the simulated premium (mark price and funding where no file gives them). Default 1. */
  seed?: number;
  /** Market-order slippage. Default: the simulator's. */
  slippage?: SlippageModel;
  /** Called every `progressEvery` bars and once at the end: bars done out of the total. */
  onProgress?: (done: number, total: number) => void;
  /** Bars between two progress calls and cancellation checks. Default 65 536. */
  progressEvery?: number;
  /** Checked with each progress call; true stops the run, which then returns what it has with `cancelled: true`. */
  isCancelled?: () => boolean;
}

/** Why a trade ended. */
export type ExitReason = 'stop' | 'take-profit' | 'exit-signal' | 'liquidation' | 'end-of-data' | 'breaker';

/** One round trip, from its entry fill to its exit fill. */
export interface BacktestTrade {
  symbol: string;
  side: Side;
  qty: number;
  leverage: number;
  entryTime: number;
  entryPrice: number;
  stop: number;
  takeProfit: number;
  /** By shared/risk at entry (and again after each funding payment on an isolated position); null when none. */
  liquidationPrice: number | null;
  exitTime: number;
  exitPrice: number;
  exitReason: ExitReason;
  /** Realised price PnL of the round trip, fees and funding excluded. */
  pnl: number;
  /** Entry and exit fees. */
  fees: number;
  /** Funding received (negative when paid). */
  funding: number;
  /** qty × |entry − stop| at entry: one R. */
  riskAmount: number;
  /** The strategy's reason for the entry, and (for an exit signal or a breaker) for the exit. */
  entryReason: string;
  exitNote: string | null;
}

/** A breaker trip during the run. */
export interface BreakerTrip {
  time: number;
  breaker: string;
  action: BreakerAction;
  reason: string;
  value: number | null;
  threshold: number;
  /** When it re-armed by itself; null: it held for the rest of the run (live, only a user reset re-arms it). */
  until: number | null;
  equity: number;
}

/** Equity at each bar's close (per time step across all symbols) and its drawdown from the peak so far. */
export interface EquityCurve {
  time: Float64Array;
  equity: Float64Array;
  /** Percent below the running peak of equity. */
  drawdownPct: Float64Array;
}

/**
 * The figures of a run: those the Backtest view shows (`BacktestSummaryView`, documented in
 * shared/domain.ts) and the rest the command reports. Deterministic: timing is in `BacktestTiming`, apart.
 */
export interface BacktestSummary extends BacktestSummaryView {
  /** Σ realised price PnL of all trades. */
  pnl: number;
  /** As Sharpe with the downside deviation; null without a losing day. */
  sortino: number | null;
  longestLosingStreak: number;
  /** Signals that reached the next bar's open but were refused (price tolerance, pre-trade check, breakers). */
  entriesRefused: number;
}

export interface BacktestTiming {
  wallMs: number;
  candlesPerS: number;
}

export interface BacktestResult {
  summary: BacktestSummary;
  timing: BacktestTiming;
  trades: BacktestTrade[];
  equity: EquityCurve;
  breakerTrips: BreakerTrip[];
  /** True when `isCancelled` stopped the run: the figures cover the bars done. */
  cancelled: boolean;
}
