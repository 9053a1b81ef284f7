import type { FundingPayment, Side } from '../domain';

/** Funding settles every 8 hours on the perpetuals the cockpit trades (00:00, 08:00 and 16:00 UTC). */
export const FUNDING_INTERVAL_MS = 8 * 3_600_000;
const DAY_MS = 24 * 3_600_000;

/**
 * What one settlement costs a position at `rate`: positive when it pays, negative when it receives.
 * A positive rate has longs pay shorts; the payment is notional × rate, as the exchange computes it at the mark.
 *
 * @example fundingCost('long', 10_000, 0.0001) // 1: a long of 10,000 USDT pays 1 USDT at +0.01%
 */
export function fundingCost(side: Side, notional: number, rate: number): number {
  const cost = notional * rate;
  return side === 'long' ? cost : -cost;
}

/** 00:00 UTC of the day `time` falls in: where "funding today" starts. */
export function utcDayStart(time: number): number {
  return Math.floor(time / DAY_MS) * DAY_MS;
}

/** Net funding of the payments from `since` on (received positive, paid negative), on one symbol or, with null, on all. */
export function netFunding(payments: readonly FundingPayment[], symbol: string | null, since: number): number {
  return payments.filter((p) => p.time >= since && (symbol === null || p.symbol === symbol)).reduce((sum, p) => sum + p.amount, 0);
}
