import type { BacktestReport, BacktestTradeView } from '../../../shared/domain';
import { netResult, type BacktestResult } from '../backtest';

/** Most points the equity curve carries to the Backtest view; a longer run is thinned evenly (keeping its first and last). */
export const MAX_CURVE_POINTS = 2_000;

/** A backtest's result as the Backtest view shows and exports it: plain JSON. */
export function backtestReport(result: BacktestResult): BacktestReport {
  const { summary, equity } = result;
  const length = equity.time.length;
  const step = Math.max(1, Math.ceil(length / MAX_CURVE_POINTS));
  const picks: number[] = [];
  for (let i = 0; i < length; i += step) picks.push(i);
  if (length > 0 && picks.at(-1) !== length - 1) picks.push(length - 1);
  const trades: BacktestTradeView[] = result.trades.map((t) => {
    const net = netResult(t);
    return {
      symbol: t.symbol,
      side: t.side,
      qty: t.qty,
      leverage: t.leverage,
      entryTime: t.entryTime,
      entryPrice: t.entryPrice,
      stop: t.stop,
      takeProfit: t.takeProfit,
      exitTime: t.exitTime,
      exitPrice: t.exitPrice,
      exitReason: t.exitReason,
      pnl: t.pnl,
      fees: t.fees,
      funding: t.funding,
      net,
      r: t.riskAmount > 0 ? net / t.riskAmount : null,
      entryReason: t.entryReason,
      exitNote: t.exitNote,
    };
  });
  return {
    summary: {
      strategy: summary.strategy,
      symbols: summary.symbols,
      timeframe: summary.timeframe,
      from: summary.from,
      to: summary.to,
      candles: summary.candles,
      trades: summary.trades,
      startBalance: summary.startBalance,
      finalEquity: summary.finalEquity,
      returnPct: summary.returnPct,
      maxDrawdownPct: summary.maxDrawdownPct,
      winRatePct: summary.winRatePct,
      profitFactor: summary.profitFactor,
      expectancyR: summary.expectancyR,
      fees: summary.fees,
      funding: summary.funding,
      liquidations: summary.liquidations,
      sharpe: summary.sharpe,
      exposurePct: summary.exposurePct,
      breakerTrips: summary.breakerTrips,
    },
    trades,
    equity: { time: picks.map((i) => equity.time[i]!), equity: picks.map((i) => equity.equity[i]!), drawdownPct: picks.map((i) => equity.drawdownPct[i]!) },
    cancelled: result.cancelled,
  };
}
