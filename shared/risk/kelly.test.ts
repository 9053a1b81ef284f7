import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kellyFraction, kellyFromRecord, kellySuggestion, tradeRecordStats } from './kelly';

describe('Kelly fraction', () => {
  it('is p − (1 − p) / b', () => {
    // 60% winners, wins twice the size of losses: 0.6 − 0.4 / 2 = 0.4
    expect(kellyFraction({ winRate: 0.6, averageWin: 200, averageLoss: 100 })).toBeCloseTo(0.4, 12);
    // a coin flip at even money has no edge
    expect(kellyFraction({ winRate: 0.5, averageWin: 1, averageLoss: 1 })).toBe(0);
  });

  it('is negative without an edge', () => {
    expect(kellyFraction({ winRate: 0.3, averageWin: 1, averageLoss: 1 })).toBeCloseTo(-0.4, 12);
  });

  it('rejects a win rate outside [0, 1] and non-positive averages', () => {
    expect(() => kellyFraction({ winRate: 1.2, averageWin: 1, averageLoss: 1 })).toThrow(/win rate/);
    expect(() => kellyFraction({ winRate: Number.NaN, averageWin: 1, averageLoss: 1 })).toThrow(/win rate/);
    expect(() => kellyFraction({ winRate: -0.1, averageWin: 1, averageLoss: 1 })).toThrow(/win rate/);
    expect(() => kellyFraction({ winRate: 0.5, averageWin: 0, averageLoss: 1 })).toThrow(/average win/);
    expect(() => kellyFraction({ winRate: 0.5, averageWin: 1, averageLoss: -1 })).toThrow(/average loss/);
  });
});

describe('Kelly suggestion', () => {
  it('offers full, ½ and ¼ Kelly under the risk cap', () => {
    const s = kellySuggestion({ winRate: 0.55, averageWin: 1, averageLoss: 1 }, 0.05);
    expect(s.kelly).toBeCloseTo(0.1, 12);
    expect(s.full).toBe(0.05);
    expect(s.half).toBe(0.05);
    expect(s.quarter).toBeCloseTo(0.025, 12);
  });

  it('suggests nothing when there is no edge, and never a negative fraction', () => {
    const s = kellySuggestion({ winRate: 0.3, averageWin: 1, averageLoss: 1 }, 0.01);
    expect([s.full, s.half, s.quarter]).toEqual([0, 0, 0]);
  });

  it('never goes above the cap nor below zero', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        fc.double({ min: 0.01, max: 1e4, noNaN: true }),
        fc.double({ min: 0.001, max: 0.05, noNaN: true }),
        (winRate, averageWin, averageLoss, cap) => {
          const s = kellySuggestion({ winRate, averageWin, averageLoss }, cap);
          for (const f of [s.full, s.half, s.quarter]) {
            expect(f).toBeGreaterThanOrEqual(0);
            expect(f).toBeLessThanOrEqual(cap);
          }
          expect(s.quarter).toBeLessThanOrEqual(s.half);
          expect(s.half).toBeLessThanOrEqual(s.full);
        },
      ),
    );
  });

  it('rejects a bad cap', () => {
    expect(() => kellySuggestion({ winRate: 0.5, averageWin: 1, averageLoss: 1 }, 0)).toThrow(/risk cap/);
  });
});

describe('a record of closed trades', () => {
  it('sums up into win rate and average win and loss', () => {
    // three winners (100, 200, 300), one loser (−100), one break-even
    expect(tradeRecordStats([100, -100, 200, 0, 300])).toEqual({ trades: 5, winRate: 0.6, averageWin: 200, averageLoss: 100 });
  });

  it('rejects an empty record and a result that is not a number', () => {
    expect(() => tradeRecordStats([])).toThrow(/at least one trade/);
    expect(() => tradeRecordStats([1, Number.NaN])).toThrow(/trade result/);
  });

  it('gives the Kelly suggestion of its stats, under the cap', () => {
    const record = tradeRecordStats([100, -100, 200, 0, 300]);
    // 0.6 − 0.4 / 2 = 0.4: capped at 2%
    expect(kellyFromRecord(record, 0.02)).toEqual(kellySuggestion({ winRate: 0.6, averageWin: 200, averageLoss: 100 }, 0.02));
    expect(kellyFromRecord(tradeRecordStats([10, -10, -10, -10]), 0.02)).toMatchObject({ full: 0, half: 0, quarter: 0 });
  });

  it('with no loser, Kelly is the win rate (b = ∞)', () => {
    expect(kellyFromRecord(tradeRecordStats([5, 0, 5, 5]), 1)).toEqual({ kelly: 0.75, full: 0.75, half: 0.375, quarter: 0.1875 });
  });

  it('with no winner there is no edge: every suggestion is 0', () => {
    const s = kellyFromRecord(tradeRecordStats([-5, 0, -1]), 0.01);
    expect(s.kelly).toBe(Number.NEGATIVE_INFINITY);
    expect([s.full, s.half, s.quarter]).toEqual([0, 0, 0]);
  });

  it('rejects a record without trades or a bad cap', () => {
    expect(() => kellyFromRecord({ trades: 0, winRate: 0, averageWin: 0, averageLoss: 0 }, 0.01)).toThrow(/at least one trade/);
    expect(() => kellyFromRecord(tradeRecordStats([1]), Number.NaN)).toThrow(/risk cap/);
  });
});
