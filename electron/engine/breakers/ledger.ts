import type { ResetRebase } from './breaker';
import { dayStart, weekStart } from './trading-periods';

/** Equity when a UTC day (or week) was first seen; `seenAt`, when (absent in files of earlier versions). */
export interface PeriodStart {
  start: number;
  equity: number;
  seenAt?: number;
}

/** The account history the breakers measure against. Persisted with the breaker states. */
export interface BreakerLedger {
  day: PeriodStart | null;
  week: PeriodStart | null;
  peakEquity: number | null;
  /** When the peak was reached (absent in files of earlier versions). */
  peakAt?: number | null;
  lossStreak: { count: number; lastLossAt: number | null };
  /** The time of the newest deposit or withdrawal already applied to the baselines, and the ids applied at that time. */
  transfersUntil?: number | null;
  transfersAtUntil?: string[];
}

export const EMPTY_LEDGER: BreakerLedger = { day: null, week: null, peakEquity: null, lossStreak: { count: 0, lastLossAt: null } };

/** A deposit (positive) or withdrawal (negative) to or from the futures wallet. */
export interface Transfer {
  id: string;
  time: number;
  amount: number;
}

/** Whether a transfer is already in the baselines. */
export function transferApplied(ledger: BreakerLedger, t: Pick<Transfer, 'id' | 'time'>): boolean {
  const until = ledger.transfersUntil ?? -Infinity;
  return t.time < until || (t.time === until && (ledger.transfersAtUntil ?? []).includes(t.id));
}

/** Opens a new day or week at the first equity seen in it, and raises the peak. */
export function observeEquity(ledger: BreakerLedger, equity: number, now: number): BreakerLedger {
  if (!Number.isFinite(equity)) return ledger;
  const today = dayStart(now);
  const thisWeek = weekStart(now);
  const newPeak = ledger.peakEquity === null || equity > ledger.peakEquity;
  return {
    ...ledger,
    day: ledger.day?.start === today ? ledger.day : { start: today, equity, seenAt: now },
    week: ledger.week?.start === thisWeek ? ledger.week : { start: thisWeek, equity, seenAt: now },
    peakEquity: newPeak ? equity : ledger.peakEquity,
    ...(newPeak ? { peakAt: now } : {}),
  };
}

/** How far the exchange's transfer times and the cockpit's clock may disagree. */
export const TRANSFER_CLOCK_SKEW_MS = 60_000;

/**
 * Transfers are not losses: a deposit or withdrawal moves every baseline measured before it (the
 * day's and the week's starting equity, the peak) by its amount, so money moved out never reads as
 * a drawdown or a loss, and money moved in never as a gain. A baseline measured after the transfer
 * already holds it and stays; within {@link TRANSFER_CLOCK_SKEW_MS} of a baseline, a withdrawal moves it and a
 * deposit does not, so a clock that disagrees never makes a transfer trip a breaker. Each transfer is applied once.
 */
export function applyTransfers(ledger: BreakerLedger, transfers: readonly Transfer[]): BreakerLedger {
  let next = ledger;
  for (const t of [...transfers].sort((a, b) => a.time - b.time)) {
    if (!Number.isFinite(t.amount) || transferApplied(next, t)) continue;
    // Within the clock skew a withdrawal counts as after the baseline and a deposit as before it: either way no false trip.
    const before = (seenAt: number | null | undefined) => (seenAt ?? -Infinity) < t.time + (t.amount < 0 ? TRANSFER_CLOCK_SKEW_MS : -TRANSFER_CLOCK_SKEW_MS);
    const moved = (period: PeriodStart | null): PeriodStart | null =>
      period && before(period.seenAt ?? period.start) ? { ...period, equity: Math.max(0, period.equity + t.amount) } : period;
    next = {
      ...next,
      day: moved(next.day),
      week: moved(next.week),
      peakEquity: next.peakEquity !== null && before(next.peakAt) ? Math.max(0, next.peakEquity + t.amount) : next.peakEquity,
      transfersUntil: t.time,
      transfersAtUntil: t.time === next.transfersUntil ? [...(next.transfersAtUntil ?? []), t.id] : [t.id],
    };
  }
  return next;
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
