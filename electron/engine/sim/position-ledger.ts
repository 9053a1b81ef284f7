/** A one-way position: signed amount (positive long) and average entry price. */
export interface Holding {
  amt: number;
  entryPrice: number;
}

export interface TradeOutcome {
  holding: Holding;
  /** PnL realised by the part of the trade that closed the existing position. */
  realizedPnl: number;
  /** How much of the trade closed the existing position. */
  closed: number;
  /** How much of the trade opened or added to a position (after a flip, the new side). */
  opened: number;
}

export const FLAT: Holding = { amt: 0, entryPrice: 0 };

/**
 * Applies one trade of `signedQuantity` (positive buys) at `price` to a one-way position.
 * `normalize` snaps amounts to the market's step so sums of steps stay exact.
 */
export function applyTrade(holding: Holding, signedQuantity: number, price: number, normalize: (q: number) => number): TradeOutcome {
  const size = Math.abs(holding.amt);
  const quantity = Math.abs(signedQuantity);
  const opposite = holding.amt !== 0 && Math.sign(signedQuantity) !== Math.sign(holding.amt);
  const closed = opposite ? Math.min(quantity, size) : 0;
  const opened = normalize(quantity - closed);
  const realizedPnl = closed * (price - holding.entryPrice) * Math.sign(holding.amt);
  const amt = normalize(holding.amt + signedQuantity);
  if (amt === 0) return { holding: FLAT, realizedPnl, closed, opened: 0 };
  const flipped = opposite && quantity > size;
  const entryPrice = flipped || size === 0 ? price : opposite ? holding.entryPrice : (size * holding.entryPrice + opened * price) / (size + opened);
  return { holding: { amt, entryPrice }, realizedPnl, closed, opened };
}
