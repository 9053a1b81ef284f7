import { z } from 'zod';
import { readJsonFile, writeFileAtomic } from '../persistence/atomic-file';
import { nodeDisk, type Disk } from '../persistence/disk';
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
  constructor(
    private readonly file: string | null,
    private readonly disk: Disk = nodeDisk,
  ) {}

  /** The kept history; an unreadable file is moved aside (see readJsonFile), said in `problem`, and the history starts empty. */
  load(): { state: MarginHistoryState; problem: { problem: string; movedTo: string | null } | null } {
    const empty = { buckets: [], events: [] };
    if (!this.file) return { state: empty, problem: null };
    const read = readJsonFile(this.disk, this.file, (value) => fileSchema.parse(value));
    if (read.kind === 'read') return { state: read.value, problem: null };
    return { state: empty, problem: read.kind === 'unreadable' ? { problem: read.problem, movedTo: read.movedTo } : null };
  }

  /** Replaces the file whole (never torn); throws when the disk refuses. */
  save(state: MarginHistoryState): void {
    if (this.file) writeFileAtomic(this.disk, this.file, JSON.stringify(state), { durable: false });
  }
}
