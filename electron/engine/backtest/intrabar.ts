/** What a bar does to an open position, by the backtest's fill rule. */
export const BarOutcome = { None: 0, Stop: 1, TakeProfit: 2, Liquidation: 3 } as const;
export type BarOutcome = (typeof BarOutcome)[keyof typeof BarOutcome];

/** The outcome and the last price at which it happens (the bar's open on a gap, else the trigger level ÷ the premium factor). */
export interface BarHit {
  outcome: BarOutcome;
  last: number;
}

/**
 * The intrabar fill rule. Stop, take-profit and liquidation trigger on the mark
 * price (the bar's prices times the premium factor `r`), and the bar's path is
 * not known, so:
 * - a bar opening past the stop (or the liquidation price) triggers it at the open;
 *   past the take-profit, the take-profit at the open;
 * - otherwise a bar that reaches the adverse level triggers it there, even if it
 *   also reached the take-profit (stop first when one bar spans both);
 * - of the stop and the liquidation price, the nearer one to the open is reached first.
 *
 * `dir` is +1 for a long, −1 for a short; `liquidation` is NaN when there is none.
 * Writes into `hit` (no allocation) and returns it.
 */
export function barHit(hit: BarHit, dir: number, open: number, high: number, low: number, r: number, stop: number, takeProfit: number, liquidation: number): BarHit {
  const liquidationFirst = liquidation === liquidation && dir * (liquidation - stop) >= 0;
  const adverse = liquidationFirst ? liquidation : stop;
  const adverseOutcome = liquidationFirst ? BarOutcome.Liquidation : BarOutcome.Stop;
  const markOpen = open * r;
  const markAdverse = (dir > 0 ? low : high) * r;
  const markFavourable = (dir > 0 ? high : low) * r;
  if (dir * (markOpen - adverse) <= 0) {
    hit.outcome = liquidation === liquidation && dir * (markOpen - liquidation) <= 0 ? BarOutcome.Liquidation : adverseOutcome;
    hit.last = open;
  } else if (dir * (markOpen - takeProfit) >= 0) {
    hit.outcome = BarOutcome.TakeProfit;
    hit.last = open;
  } else if (dir * (markAdverse - adverse) <= 0) {
    hit.outcome = adverseOutcome;
    hit.last = adverse / r;
  } else if (dir * (markFavourable - takeProfit) >= 0) {
    hit.outcome = BarOutcome.TakeProfit;
    hit.last = takeProfit / r;
  } else {
    hit.outcome = BarOutcome.None;
    hit.last = 0;
  }
  return hit;
}
