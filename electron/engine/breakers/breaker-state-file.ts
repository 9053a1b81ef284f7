import path from 'node:path';
import { z } from 'zod';
import type { BreakerAction } from '../../../shared/domain';
import { accountFile, type TradedAccount } from '../account/account-files';
import type { BreakerId } from './breaker';
import { EMPTY_LEDGER, type BreakerLedger } from './ledger';
import { errorMessage } from '../../../shared/error-message';
import { writeFileAtomic } from '../persistence/atomic-file';
import { nodeDisk, type Disk } from '../persistence/disk';

/** A latch breaker's persisted state. */
export interface BreakerRecord {
  state: 'armed' | 'tripped';
  action: BreakerAction;
  trippedAt: number | null;
  /** null while tripped: only a user reset re-arms it. */
  until: number | null;
  reason: string | null;
  value: number | null;
  /** A flatten-action trip: when its flatten reported the account flat. Until then a restart flattens again. */
  flatAt?: number;
}

export interface BreakerState {
  records: Partial<Record<BreakerId, BreakerRecord>>;
  ledger: BreakerLedger;
}

const period = z.object({ start: z.number(), equity: z.number() }).nullable();
const fileSchema = z.object({
  version: z.literal(1),
  records: z.record(
    z.string(),
    z.object({
      state: z.enum(['armed', 'tripped']),
      action: z.enum(['none', 'block-entries', 'reduce', 'close', 'flatten']),
      trippedAt: z.number().nullable(),
      until: z.number().nullable(),
      reason: z.string().nullable(),
      value: z.number().nullable(),
      flatAt: z.number().optional(),
    }),
  ),
  ledger: z.object({
    day: period,
    week: period,
    peakEquity: z.number().nullable(),
    lossStreak: z.object({ count: z.number().int().nonnegative(), lastLossAt: z.number().nullable() }),
  }),
});

/** Where earlier versions kept every account's breaker state, in one file. */
const SHARED_FILE = 'breakers.json';

/** A state that cannot be used: `file` is where it is now (moved aside when unreadable, left in place when shared). */
export type LoadResult = { ok: true; state: BreakerState } | { ok: false; problem: string; file: string; movedAside: boolean };

/**
 * The breakers' state on disk: one JSON file, replaced atomically (write,
 * fsync, rename), so a restart finds every trip exactly as it was left.
 */
export class BreakerStateFile {
  constructor(
    readonly file: string,
    private readonly disk: Disk = nodeDisk,
  ) {}

  /**
   * The state of one account, in a file of its own under `dataDir`: the equity a day,
   * a week or a peak started from, and the trips, never carry over to another account.
   *
   * @example BreakerStateFile.forAccount(dir, { mode: 'live', id: 'binanceusdm', network: 'testnet' }).file
   *   // `${dir}/breakers-live-binanceusdm-testnet.json`
   */
  static forAccount(dataDir: string, account: TradedAccount, disk: Disk = nodeDisk): BreakerStateFile {
    return new BreakerStateFile(accountFile(dataDir, 'breakers', account), disk);
  }

  /**
   * A missing file is a fresh start. An unreadable one is moved aside and reported, never silently replaced.
   * Until an account has a file of its own, the one shared `breakers.json` of earlier versions is consulted and
   * left in place for every other account: its equity baselines are dropped, and if it held a trip, that is
   * reported like an unreadable file (the account it belonged to is unknown), so each account starts blocked.
   */
  load(): LoadResult {
    if (!this.disk.existsSync(this.file)) return this.consultShared();
    let problem: string;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(this.disk.readFileSync(this.file, 'utf8')));
      if (parsed.success) return { ok: true, state: { records: parsed.data.records as BreakerState['records'], ledger: parsed.data.ledger } };
      problem = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    } catch (error) {
      problem = errorMessage(error);
    }
    const movedTo = `${this.file}.unreadable-${Date.now()}`;
    try {
      this.disk.renameSync(this.file, movedTo);
    } catch (error) {
      return { ok: false, problem: `${problem}; it could not be moved aside (${errorMessage(error)})`, file: this.file, movedAside: false };
    }
    return { ok: false, problem, file: movedTo, movedAside: true };
  }

  private consultShared(): LoadResult {
    const fresh: LoadResult = { ok: true, state: { records: {}, ledger: EMPTY_LEDGER } };
    const shared = path.join(path.dirname(this.file), SHARED_FILE);
    if (shared === this.file || !this.disk.existsSync(shared)) return fresh;
    let tripped = true;
    try {
      const parsed = fileSchema.safeParse(JSON.parse(this.disk.readFileSync(shared, 'utf8')));
      tripped = !parsed.success || Object.values(parsed.data.records).some((record) => record.state === 'tripped');
    } catch {
      tripped = true;
    }
    return tripped ? { ok: false, problem: `${SHARED_FILE} of an earlier version held a trip whose account is not known`, file: shared, movedAside: false } : fresh;
  }

  /**
   * Replaces the file. `durable` (trips, resets, re-arms) waits for the disk;
   * otherwise (equity peak, day start, loss streak) the OS cache is enough to
   * survive a crash of the process.
   */
  save(state: BreakerState, options: { durable: boolean } = { durable: true }): void {
    writeFileAtomic(this.disk, this.file, JSON.stringify({ version: 1, ...state }, null, 2), options);
  }
}
