import type { Candle, Side, Timeframe } from '../../../shared/domain';

/** What a strategy asks for on a closed candle. Prices are raw; the proposal rounds and sizes them. */
export interface Signal {
  /** Optional tag telling an entry from an `ExitSignal`; strategies may leave it out. */
  kind?: 'entry';
  symbol: string;
  side: Side;
  entry: number;
  stop: number;
  takeProfit: number;
  /** Leave out to use the strategy's configured leverage. */
  leverage?: number;
  reason: string;
}

/**
 * A strategy asks to close its open position on `symbol`. Live and paper, it
 * becomes a close proposal in the approval queue (closed at once in auto mode);
 * a backtest closes at the next bar's open. Ignored when there is no position,
 * or when the position is not one this strategy opened.
 *
 * @example return { kind: 'exit', symbol, reason: 'RSI back above 70' };
 */
export interface ExitSignal {
  kind: 'exit';
  symbol: string;
  reason: string;
}

/** What `onCandle` may return: an entry `Signal` (no `kind`, or `kind: 'entry'`) or an `ExitSignal`. */
export type StrategyDecision = Signal | ExitSignal;

/** True when the decision asks to close a position rather than open one. */
export function isExitSignal(decision: StrategyDecision): decision is ExitSignal {
  return (decision as { kind?: unknown }).kind === 'exit';
}

/** What a strategy may know of the account besides candles. A copy, never live state. */
export interface StrategyContext {
  equity: number;
  /** Percent below the equity peak (0 at the peak). */
  drawdownPct: number;
  /** The user's leverage cap. */
  maxLeverage: number;
}

/** One strategy's state for one symbol: fed every closed candle, oldest first. */
export interface SymbolStrategy {
  /**
   * Called once per closed candle, in order. Return a `Signal` to propose a
   * trade, an `ExitSignal` to ask to close the open position on this symbol, or
   * null. May return a promise; the engine never waits for it on the
   * market-data path (a backtest needs the answer at once). Treat `candle` and
   * `context` as read-only and copy what you keep: a backtest reuses them from
   * bar to bar.
   */
  onCandle(candle: Candle, context: StrategyContext): StrategyDecision | null | Promise<StrategyDecision | null>;
}

/**
 * The small strategy interface: a warm-up length and, per symbol, a function of
 * each closed candle. Strategy code is fenced off by the runner: its inputs are
 * copies, and whatever it throws becomes a strategy error, never an engine crash.
 */
export interface Strategy {
  readonly id: string;
  readonly label: string;
  readonly timeframe: Timeframe;
  /** Closed candles needed before signals mean anything; earlier signals are ignored. */
  readonly warmup: number;
  /**
   * The fraction of equity this strategy risks per trade (0.015 = 1.5%), when it
   * declares one; otherwise the global risk setting sizes its proposals. The
   * global setting stays the ceiling: a larger figure is cut to it.
   */
  readonly riskPerTrade?: number;
  forSymbol(symbol: string): SymbolStrategy;
}
