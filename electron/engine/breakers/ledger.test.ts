import { describe, expect, it } from 'vitest';
import { applyTransfers, EMPTY_LEDGER, observeEquity, rebase, recordTradeResult } from './ledger';

const t = (iso: string) => Date.parse(iso);

describe('breaker ledger', () => {
  it('takes the first equity seen in a day and a week as their start, and keeps it through the period', () => {
    let ledger = observeEquity(EMPTY_LEDGER, 10_000, t('2025-03-12T08:00:00Z'));
    ledger = observeEquity(ledger, 9_000, t('2025-03-12T20:00:00Z'));
    expect(ledger.day).toEqual({ start: t('2025-03-12T00:00:00Z'), equity: 10_000, seenAt: t('2025-03-12T08:00:00Z') });
    expect(ledger.week).toEqual({ start: t('2025-03-10T00:00:00Z'), equity: 10_000, seenAt: t('2025-03-12T08:00:00Z') });
  });

  it('starts a new day at midnight UTC and a new week on Monday', () => {
    let ledger = observeEquity(EMPTY_LEDGER, 10_000, t('2025-03-16T23:00:00Z'));
    ledger = observeEquity(ledger, 9_200, t('2025-03-17T00:00:01Z'));
    expect(ledger.day).toEqual({ start: t('2025-03-17T00:00:00Z'), equity: 9_200, seenAt: t('2025-03-17T00:00:01Z') });
    expect(ledger.week).toEqual({ start: t('2025-03-17T00:00:00Z'), equity: 9_200, seenAt: t('2025-03-17T00:00:01Z') });
  });

  it('remembers the highest equity ever seen', () => {
    let ledger = EMPTY_LEDGER;
    for (const equity of [10_000, 12_500, 11_000, NaN]) ledger = observeEquity(ledger, equity, t('2025-03-12T08:00:00Z'));
    expect(ledger.peakEquity).toBe(12_500);
  });

  it('counts losing trades in a row; a win or break-even ends the streak', () => {
    let ledger = recordTradeResult(EMPTY_LEDGER, -10, 1);
    ledger = recordTradeResult(ledger, -5, 2);
    expect(ledger.lossStreak).toEqual({ count: 2, lastLossAt: 2 });
    expect(recordTradeResult(ledger, 0, 3).lossStreak.count).toBe(0);
    expect(recordTradeResult(ledger, 7, 3).lossStreak.count).toBe(0);
  });

  it('a reset re-bases the reference to the present', () => {
    const now = t('2025-03-12T15:00:00Z');
    const ledger = { ...observeEquity(EMPTY_LEDGER, 10_000, now), lossStreak: { count: 4, lastLossAt: now } };
    expect(rebase(ledger, 'day', 9_000, now).day?.equity).toBe(9_000);
    expect(rebase(ledger, 'week', 9_000, now).week?.equity).toBe(9_000);
    expect(rebase(ledger, 'peak', 9_000, now).peakEquity).toBe(9_000);
    expect(rebase(ledger, 'streak', 9_000, now).lossStreak).toEqual({ count: 0, lastLossAt: null });
    expect(rebase(ledger, 'peak', null, now)).toBe(ledger);
  });

  it('moves every baseline measured before a transfer by its amount, once; one measured after it already holds it', () => {
    const morning = t('2025-03-12T08:00:00Z');
    let ledger = observeEquity(EMPTY_LEDGER, 10_000, morning);
    const out = applyTransfers(ledger, [{ id: 'w1', time: morning + 1_000, amount: -3_000 }]);
    expect(out).toMatchObject({ day: { equity: 7_000 }, week: { equity: 7_000 }, peakEquity: 7_000, transfersUntil: morning + 1_000 });
    expect(applyTransfers(out, [{ id: 'w1', time: morning + 1_000, amount: -3_000 }]), 'applied once').toEqual(out);
    expect(applyTransfers(out, [{ id: 'w2', time: morning + 1_000, amount: -1_000 }]), 'another at the same millisecond').toMatchObject({ peakEquity: 6_000, transfersAtUntil: ['w1', 'w2'] });

    ledger = observeEquity(ledger, 15_000, morning + 300_000);
    const deposit = applyTransfers(ledger, [{ id: 'd1', time: morning + 200_000, amount: 5_000 }]);
    expect(deposit, 'the peak was reached with the deposit in it; the day started before it').toMatchObject({ day: { equity: 15_000 }, peakEquity: 15_000 });
    expect(applyTransfers(EMPTY_LEDGER, [{ id: 'x', time: 1, amount: NaN }])).toEqual(EMPTY_LEDGER);
    const skewed = observeEquity(EMPTY_LEDGER, 10_000, morning);
    expect(applyTransfers(skewed, [{ id: 'w', time: morning - 30_000, amount: -3_000 }]).peakEquity, 'a withdrawal stamped just before the peak by a skewed clock').toBe(7_000);
    expect(applyTransfers(skewed, [{ id: 'd', time: morning + 30_000, amount: 3_000 }]).peakEquity, 'a deposit stamped just after it').toBe(10_000);
  });
});
