import type { JournalEntry } from '../../../shared/domain';

/** Entries whose type or data contains every word of the filter (case-insensitive), newest first. */
export function filterJournal(entries: readonly JournalEntry[], filter: string, limit: number): JournalEntry[] {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const out: JournalEntry[] = [];
  for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
    const entry = entries[i]!;
    if (words.length > 0) {
      const haystack = `${entry.type} ${JSON.stringify(entry.data)}`.toLowerCase();
      if (!words.every((w) => haystack.includes(w))) continue;
    }
    out.push(entry);
  }
  return out;
}
