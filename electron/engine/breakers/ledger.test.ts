import { describe, expect, it } from 'vitest';
import { EMPTY_LEDGER, observeEquity, rebase, recordTradeResult } from './ledger';

const t = (iso: string) => Date.parse(iso);

describe('breaker ledger', () => {
  it('takes the first equity seen in a day and a week as their start, and keeps it through the period', () => {
    let ledger = observeEquity(EMPTY_LEDGER, 10_000, t('2025-03-12T08:00:00Z'));
    ledger = observeEquity(ledger, 9_000, t('2025-03-12T20:00:00Z'));
    expect(ledger.day).toEqual({ start: t('2025-03-12T00:00:00Z'), equity: 10_000 });
    expect(ledger.week).toEqual({ start: t('2025-03-10T00:00:00Z'), equity: 10_000 });
  });

  it('starts a new day at midnight UTC and a new week on Monday', () => {
    let ledger = observeEquity(EMPTY_LEDGER, 10_000, t('2025-03-16T23:00:00Z'));
    ledger = observeEquity(ledger, 9_200, t('2025-03-17T00:00:01Z'));
    expect(ledger.day).toEqual({ start: t('2025-03-17T00:00:00Z'), equity: 9_200 });
    expect(ledger.week).toEqual({ start: t('2025-03-17T00:00:00Z'), equity: 9_200 });
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
});
