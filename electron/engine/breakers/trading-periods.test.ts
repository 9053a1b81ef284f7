import { describe, expect, it } from 'vitest';
import { dayEnd, dayStart, weekEnd, weekStart } from './trading-periods';

const utc = (iso: string) => Date.parse(iso);

describe('trading periods (UTC)', () => {
  it('a day runs from midnight to midnight UTC', () => {
    expect(dayStart(utc('2025-03-12T17:45:00Z'))).toBe(utc('2025-03-12T00:00:00Z'));
    expect(dayEnd(utc('2025-03-12T17:45:00Z'))).toBe(utc('2025-03-13T00:00:00Z'));
    expect(dayStart(utc('2025-03-12T00:00:00Z'))).toBe(utc('2025-03-12T00:00:00Z'));
  });

  it('a week runs from Monday 00:00 UTC', () => {
    expect(weekStart(utc('2025-03-12T17:45:00Z'))).toBe(utc('2025-03-10T00:00:00Z'));
    expect(weekEnd(utc('2025-03-12T17:45:00Z'))).toBe(utc('2025-03-17T00:00:00Z'));
    expect(weekStart(utc('2025-03-16T23:59:59Z'))).toBe(utc('2025-03-10T00:00:00Z'));
    expect(weekStart(utc('2025-03-17T00:00:00Z'))).toBe(utc('2025-03-17T00:00:00Z'));
    expect(new Date(weekStart(utc('1970-01-02T00:00:00Z'))).getUTCDay()).toBe(1);
  });
});
