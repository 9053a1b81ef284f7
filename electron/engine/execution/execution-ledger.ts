import { z } from 'zod';
import type { Side } from '../../../shared/domain';
import { readJsonFile, writeFileAtomic } from '../persistence/atomic-file';
import { nodeDisk, type Disk } from '../persistence/disk';

/** How far an entry got: `entry` sent, `protecting` filled and being protected, `protected` stop on the exchange. */
export type ExecutionStage = 'entry' | 'protecting' | 'protected';

/** What the bot knows of a position it opened, kept on disk so a restart can finish protecting it. */
export interface ExecutionRecord {
  operation: string;
  proposalId: string;
  symbol: string;
  side: Side;
  stop: number;
  takeProfit: number;
  stage: ExecutionStage;
  /** Highest generation of the operation's client order ids used so far, per purpose (the entry used 1). */
  generations?: Partial<Record<'stop' | 'take-profit', number>>;
  updatedAt: number;
}

/** What the ledger found on disk at start when it could not use it. */
export interface LedgerProblem {
  problem: string;
  /** Where the unreadable file is now; null when it could not be moved aside. */
  movedTo: string | null;
}

export interface ExecutionLedgerOptions {
  /** Where it writes (default Node's fs). */
  disk?: Disk;
  /** A save that failed: the records stay in memory and the next change saves them all again. */
  onSaveFailed?: (error: unknown) => void;
  now?: () => number;
}

/**
 * The bot's own positions, one record per symbol, written atomically (temp
 * file, fsync, rename) before each step so a crash leaves the last step taken.
 * Only the record written before an entry is `required` (the entry waits for
 * it); once an order is out, a save that fails is reported, retried at the next
 * change, and never stops a stop or a close. An unreadable file is moved aside
 * ({@link problem}) and the ledger starts empty: the start's reconcile finds
 * what the exchange holds.
 */
export class ExecutionLedger {
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly disk: Disk;
  /** Set when the file at start could not be used. */
  readonly problem: LedgerProblem | null = null;

  constructor(
    private readonly file: string | null,
    private readonly options: ExecutionLedgerOptions = {},
  ) {
    this.disk = options.disk ?? nodeDisk;
    if (!file) return;
    const read = readJsonFile(this.disk, file, parseRecords, options.now);
    if (read.kind === 'read') for (const r of read.value) this.records.set(r.symbol, r);
    else if (read.kind === 'unreadable') this.problem = { problem: read.problem, movedTo: read.movedTo };
  }

  get(symbol: string): ExecutionRecord | null {
    const r = this.records.get(symbol);
    return r ? { ...r } : null;
  }

  all(): ExecutionRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  /** Keeps `record`; `required` throws when it cannot be saved (and keeps nothing), otherwise a failed save is reported. */
  put(record: ExecutionRecord, mode: 'required' | 'reported' = 'reported'): void {
    const previous = this.records.get(record.symbol);
    this.records.set(record.symbol, { ...record });
    if (mode === 'reported') return this.saveReported();
    try {
      this.save();
    } catch (error) {
      if (previous) this.records.set(record.symbol, previous);
      else this.records.delete(record.symbol);
      throw error;
    }
  }

  remove(symbol: string): void {
    if (this.records.delete(symbol)) this.saveReported();
  }

  private saveReported(): void {
    try {
      this.save();
    } catch (error) {
      this.options.onSaveFailed?.(error);
    }
  }

  private save(): void {
    if (!this.file) return;
    writeFileAtomic(this.disk, this.file, JSON.stringify([...this.records.values()], null, 1));
  }
}

const recordSchema = z.object({
  operation: z.string(),
  proposalId: z.string(),
  symbol: z.string(),
  side: z.enum(['long', 'short']),
  stop: z.number(),
  takeProfit: z.number(),
  stage: z.enum(['entry', 'protecting', 'protected']),
  generations: z.object({ stop: z.number().optional(), 'take-profit': z.number().optional() }).optional(),
  updatedAt: z.number(),
});

function parseRecords(value: unknown): ExecutionRecord[] {
  return z.array(recordSchema).parse(value) as ExecutionRecord[];
}
