import type { Timeframe } from '../../../shared/domain';
import type { BacktestSummary, BacktestTrade, EquityCurve } from './types';

const DAY_MS = 86_400_000;

export interface SummaryInput {
  strategy: string;
  symbols: string[];
  timeframe: Timeframe;
  candles: number;
  startBalance: number;
  finalEquity: number;
  trades: readonly BacktestTrade[];
  curve: EquityCurve;
  breakerTrips: number;
  entriesRefused: number;
  exposedSteps: number;
}

/** A trade's net result: price PnL less fees plus funding received. */
export const netResult = (t: Pick<BacktestTrade, 'pnl' | 'fees' | 'funding'>): number => t.pnl - t.fees + t.funding;

/** The returns from one UTC day's last equity to the next (the first day from the starting balance). */
export function dailyReturns(curve: EquityCurve, startBalance: number): number[] {
  const returns: number[] = [];
  let previous = startBalance;
  for (let i = 0; i < curve.time.length; i++) {
    const lastOfDay = i === curve.time.length - 1 || Math.floor(curve.time[i + 1]! / DAY_MS) !== Math.floor(curve.time[i]! / DAY_MS);
    if (!lastOfDay) continue;
    returns.push(previous > 0 ? curve.equity[i]! / previous - 1 : 0);
    previous = curve.equity[i]!;
  }
  return returns;
}

/** Annualised mean ÷ deviation (√365 days); `downside` counts only losing days in the deviation (Sortino). */
export function annualisedRatio(returns: readonly number[], downside: boolean): number | null {
  if (returns.length < 2) return null;
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const deviations = downside ? returns.map((r) => Math.min(0, r)) : returns.map((r) => r - mean);
  if (downside && !returns.some((r) => r < 0)) return null;
  const variance = deviations.reduce((a, d) => a + d * d, 0) / (returns.length - (downside ? 0 : 1));
  return variance > 0 ? (mean / Math.sqrt(variance)) * Math.sqrt(365) : null;
}

/** The run's figures from its trades and equity curve. */
export function summarize(input: SummaryInput): BacktestSummary {
  const { trades, curve } = input;
  const nets = trades.map(netResult);
  const wins = nets.filter((n) => n > 0);
  const grossProfit = wins.reduce((a, b) => a + b, 0);
  const grossLoss = -nets.filter((n) => n < 0).reduce((a, b) => a + b, 0);
  let streak = 0;
  let longest = 0;
  for (const n of nets) {
    streak = n < 0 ? streak + 1 : 0;
    longest = Math.max(longest, streak);
  }
  let maxDrawdownPct = 0;
  for (let i = 0; i < curve.drawdownPct.length; i++) maxDrawdownPct = Math.max(maxDrawdownPct, curve.drawdownPct[i]!);
  const rs = trades.filter((t) => t.riskAmount > 0).map((t) => netResult(t) / t.riskAmount);
  const returns = dailyReturns(curve, input.startBalance);
  const steps = curve.time.length;
  return {
    strategy: input.strategy,
    symbols: input.symbols,
    timeframe: input.timeframe,
    from: steps ? curve.time[0]! : 0,
    to: steps ? curve.time[steps - 1]! : 0,
    candles: input.candles,
    trades: trades.length,
    startBalance: input.startBalance,
    finalEquity: input.finalEquity,
    returnPct: (input.finalEquity / input.startBalance - 1) * 100,
    maxDrawdownPct,
    pnl: trades.reduce((a, t) => a + t.pnl, 0),
    fees: trades.reduce((a, t) => a + t.fees, 0),
    funding: trades.reduce((a, t) => a + t.funding, 0),
    liquidations: trades.filter((t) => t.exitReason === 'liquidation').length,
    winRatePct: trades.length ? (wins.length / trades.length) * 100 : 0,
    profitFactor: grossLoss > 0 ? grossProfit / grossLoss : null,
    expectancyR: rs.length ? rs.reduce((a, b) => a + b, 0) / rs.length : 0,
    sharpe: annualisedRatio(returns, false),
    sortino: annualisedRatio(returns, true),
    exposurePct: steps ? (input.exposedSteps / steps) * 100 : 0,
    longestLosingStreak: longest,
    breakerTrips: input.breakerTrips,
    entriesRefused: input.entriesRefused,
  };
}
