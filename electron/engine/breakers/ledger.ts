import type { ResetRebase } from './breaker';
import { dayStart, weekStart } from './trading-periods';

/** The account history the breakers measure against. Persisted with the breaker states. */
export interface BreakerLedger {
  /** Equity when the current UTC day (or week) was first seen. */
  day: { start: number; equity: number } | null;
  week: { start: number; equity: number } | null;
  peakEquity: number | null;
  lossStreak: { count: number; lastLossAt: number | null };
}

export const EMPTY_LEDGER: BreakerLedger = { day: null, week: null, peakEquity: null, lossStreak: { count: 0, lastLossAt: null } };

/** Opens a new day or week at the first equity seen in it, and raises the peak. */
export function observeEquity(ledger: BreakerLedger, equity: number, now: number): BreakerLedger {
  if (!Number.isFinite(equity)) return ledger;
  const today = dayStart(now);
  const thisWeek = weekStart(now);
  return {
    ...ledger,
    day: ledger.day?.start === today ? ledger.day : { start: today, equity },
    week: ledger.week?.start === thisWeek ? ledger.week : { start: thisWeek, equity },
    peakEquity: ledger.peakEquity === null ? equity : Math.max(ledger.peakEquity, equity),
  };
}

/** A losing trade extends the streak; a winning or break-even one ends it. */
export function recordTradeResult(ledger: BreakerLedger, netPnl: number, time: number): BreakerLedger {
  const lossStreak = netPnl < 0 ? { count: ledger.lossStreak.count + 1, lastLossAt: time } : { count: 0, lastLossAt: ledger.lossStreak.lastLossAt };
  return { ...ledger, lossStreak };
}

/** After a user reset, the breaker measures from here: the reference it compares against becomes the present. */
export function rebase(ledger: BreakerLedger, what: ResetRebase, equity: number | null, now: number): BreakerLedger {
  switch (what) {
    case 'day':
      return equity === null ? ledger : { ...ledger, day: { start: dayStart(now), equity } };
    case 'week':
      return equity === null ? ledger : { ...ledger, week: { start: weekStart(now), equity } };
    case 'peak':
      return equity === null ? ledger : { ...ledger, peakEquity: equity };
    case 'streak':
      return { ...ledger, lossStreak: { count: 0, lastLossAt: null } };
  }
}
