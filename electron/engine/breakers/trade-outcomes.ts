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
  /** The orders whose fills booked realised PnL: the ones that closed (part of) the position. */
  closingOrders: Set<string>;
}

/**
 * Turns fills and position lists into closed trades, whichever of the two
 * reports a close first: a trade ends when its position is gone and a fill
 * has booked realised PnL.
 *
 * A close that fills in several parts is one trade: when the position list
 * shows flat before every part has arrived, the parts of an order that
 * already ended a trade are not counted again. (Their PnL is not added to the
 * trade already reported; the trade's sign comes from what was known when it ended.)
 */
export class TradeOutcomes {
  private readonly trades = new Map<string, OpenTrade>();
  private readonly ended = new Map<string, Set<string>>();
  private open = new Set<string>();

  /** Returns the trade this fill completes, if any. */
  onFill(fill: Fill): TradeOutcome | null {
    if (fill.realizedPnl !== 0 && !this.open.has(fill.symbol) && !this.trades.has(fill.symbol) && this.ended.get(fill.symbol)?.has(fill.orderId)) return null;
    const trade = this.trades.get(fill.symbol) ?? { netPnl: 0, closedSome: false, lastFillAt: fill.time, closingOrders: new Set<string>() };
    trade.netPnl += fill.realizedPnl - fill.fee;
    if (fill.realizedPnl !== 0) {
      trade.closedSome = true;
      trade.closingOrders.add(fill.orderId);
    }
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
    this.ended.set(symbol, trade.closingOrders);
    return { symbol, netPnl: trade.netPnl, closedAt: trade.lastFillAt };
  }
}
