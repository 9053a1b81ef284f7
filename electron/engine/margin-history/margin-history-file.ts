import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { MarginHistoryState } from './margin-history';

const nullableNumber = z.number().nullable();
const fileSchema = z.object({
  buckets: z.array(
    z.object({
      start: z.number(),
      worstMarginRatioPct: nullableNumber,
      lastMarginRatioPct: nullableNumber,
      worstDistancePct: nullableNumber,
      worstDistanceSymbol: z.string().nullable(),
      distances: z.record(z.string(), z.number()),
    }),
  ),
  events: z.array(z.object({ time: z.number(), kind: z.enum(['warning', 'cut']), symbol: z.string().nullable(), detail: z.string() })),
});

/** The margin history's file for one account (see account/account-files.ts); null keeps it in memory. */
export class MarginHistoryFile {
  constructor(private readonly file: string | null) {}

  /** The kept history; an unreadable file is moved aside (returned as `movedAside`) and the history starts empty. */
  load(): { state: MarginHistoryState; movedAside: string | null } {
    const empty = { state: { buckets: [], events: [] }, movedAside: null };
    if (!this.file || !fs.existsSync(this.file)) return empty;
    const parsed = (() => {
      try {
        return fileSchema.safeParse(JSON.parse(fs.readFileSync(this.file, 'utf8')));
      } catch {
        return null;
      }
    })();
    if (parsed?.success) return { state: parsed.data, movedAside: null };
    const aside = `${this.file}.unreadable-${Date.now()}`;
    fs.renameSync(this.file, aside);
    return { ...empty, movedAside: aside };
  }

  save(state: MarginHistoryState): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, this.file);
  }
}
