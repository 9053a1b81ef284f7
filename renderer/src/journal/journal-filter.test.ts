import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../shared/domain';
import { filterJournal } from './journal-filter';

const entry = (seq: number, type: string, data: unknown): JournalEntry => ({ seq, time: seq * 1000, type, data });

const entries = [
  entry(1, 'order.send', { symbol: 'BTC/USDT:USDT', purpose: 'entry' }),
  entry(2, 'breaker.trip', { id: 'daily-loss' }),
  entry(3, 'order.send', { symbol: 'ETH/USDT:USDT', purpose: 'stop' }),
];

describe('filterJournal', () => {
  it('shows the newest first, up to the limit', () => {
    expect(filterJournal(entries, '', 2).map((e) => e.seq)).toEqual([3, 2]);
  });

  it('matches every word against the type and the data, ignoring case', () => {
    expect(filterJournal(entries, 'ORDER eth', 10).map((e) => e.seq)).toEqual([3]);
    expect(filterJournal(entries, 'daily-loss', 10).map((e) => e.seq)).toEqual([2]);
    expect(filterJournal(entries, 'order nothing', 10)).toEqual([]);
  });
});
