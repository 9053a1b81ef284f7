import type { Fill } from '../../../shared/domain';

/** A position that went back to flat, with its net result (realised PnL less every fee paid on it). */
export interface TradeOutcome {
  symbol: string;
  netPnl: number;
  closedAt: number;
}

interface OpenTrade {
  netPnl: number;
  closedSome: boolean;
  lastFillAt: number;
}

/**
 * Turns fills and position lists into closed trades, whichever of the two
 * reports a close first: a trade ends when its position is gone and a fill
 * has booked realised PnL.
 */
export class TradeOutcomes {
  private readonly trades = new Map<string, OpenTrade>();
  private open = new Set<string>();

  /** Returns the trade this fill completes, if any. */
  onFill(fill: Fill): TradeOutcome | null {
    const trade = this.trades.get(fill.symbol) ?? { netPnl: 0, closedSome: false, lastFillAt: fill.time };
    trade.netPnl += fill.realizedPnl - fill.fee;
    trade.closedSome ||= fill.realizedPnl !== 0;
    trade.lastFillAt = Math.max(trade.lastFillAt, fill.time);
    this.trades.set(fill.symbol, trade);
    return fill.realizedPnl !== 0 && !this.open.has(fill.symbol) ? this.finish(fill.symbol) : null;
  }

  /** Takes the symbols that hold a position now; returns the trades that just ended. */
  onPositions(openSymbols: Iterable<string>): TradeOutcome[] {
    this.open = new Set(openSymbols);
    const ended: TradeOutcome[] = [];
    for (const [symbol, trade] of this.trades) {
      if (!this.open.has(symbol) && trade.closedSome) ended.push(this.finish(symbol));
    }
    return ended;
  }

  private finish(symbol: string): TradeOutcome {
    const trade = this.trades.get(symbol)!;
    this.trades.delete(symbol);
    return { symbol, netPnl: trade.netPnl, closedAt: trade.lastFillAt };
  }
}
