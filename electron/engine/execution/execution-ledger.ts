import fs from 'node:fs';
import path from 'node:path';
import type { Side } from '../../../shared/domain';

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

/**
 * The bot's own positions, one record per symbol, written atomically (temp
 * file, fsync, rename) before each step so a crash leaves the last step taken.
 */
export class ExecutionLedger {
  private readonly records = new Map<string, ExecutionRecord>();

  constructor(private readonly file: string | null) {
    if (file && fs.existsSync(file)) {
      try {
        const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as ExecutionRecord[];
        for (const r of saved) this.records.set(r.symbol, r);
      } catch {
        fs.renameSync(file, `${file}.unreadable-${Date.now()}`);
      }
    }
  }

  get(symbol: string): ExecutionRecord | null {
    const r = this.records.get(symbol);
    return r ? { ...r } : null;
  }

  all(): ExecutionRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  put(record: ExecutionRecord): void {
    this.records.set(record.symbol, { ...record });
    this.save();
  }

  remove(symbol: string): void {
    if (this.records.delete(symbol)) this.save();
  }

  private save(): void {
    if (!this.file) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify([...this.records.values()], null, 1));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.file);
  }
}
