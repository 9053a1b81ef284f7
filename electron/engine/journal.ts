import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from '../../shared/domain';

export interface JournalOptions {
  /** Folder holding `journal.jsonl` and its rotated files. */
  dir: string;
  /** Rotate when the live file passes this size. */
  maxBytes?: number;
  now?: () => number;
  onEntry?: (entry: JournalEntry) => void;
}

const LIVE_FILE = 'journal.jsonl';

/**
 * The append-only journal: one JSON line per event, fsync'd before `record`
 * returns, so an entry is on disk before the action it records is taken.
 */
export class Journal {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private fd: number;
  private seq: number;
  private size: number;

  constructor(private readonly options: JournalOptions) {
    fs.mkdirSync(options.dir, { recursive: true });
    this.file = path.join(options.dir, LIVE_FILE);
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.now = options.now ?? Date.now;
    this.seq = lastSeq(this.files());
    this.fd = fs.openSync(this.file, 'a');
    this.size = fs.fstatSync(this.fd).size;
  }

  record(type: string, data: unknown): JournalEntry {
    const entry: JournalEntry = { seq: this.seq + 1, time: this.now(), type, data };
    const line = `${JSON.stringify(entry)}\n`;
    fs.writeSync(this.fd, line);
    fs.fsyncSync(this.fd);
    this.seq = entry.seq;
    this.size += Buffer.byteLength(line);
    if (this.size >= this.maxBytes) this.rotate();
    this.options.onEntry?.(entry);
    return entry;
  }

  /** The newest entries, oldest first; `filter` matches type or content, case-insensitively. */
  tail(limit = 200, filter?: string): JournalEntry[] {
    const needle = filter?.trim().toLowerCase();
    const out: JournalEntry[] = [];
    for (const file of this.files().reverse()) {
      const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse();
      for (const line of lines) {
        if (needle && !line.toLowerCase().includes(needle)) continue;
        out.push(JSON.parse(line) as JournalEntry);
        if (out.length >= limit) return out.reverse();
      }
    }
    return out.reverse();
  }

  /** Every entry, rotated files first, as JSON lines. */
  export(): string {
    return this.files()
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('');
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /** Rotated files oldest first, then the live file. */
  private files(): string[] {
    const rotated = fs
      .readdirSync(this.options.dir)
      .filter((f) => /^journal-\d+-\d+\.jsonl$/.test(f))
      .sort();
    const all = rotated.map((f) => path.join(this.options.dir, f));
    if (fs.existsSync(this.file)) all.push(this.file);
    return all;
  }

  private rotate(): void {
    fs.closeSync(this.fd);
    const stamp = String(this.now()).padStart(15, '0');
    const seq = String(this.seq).padStart(12, '0');
    fs.renameSync(this.file, path.join(this.options.dir, `journal-${stamp}-${seq}.jsonl`));
    this.fd = fs.openSync(this.file, 'a');
    this.size = 0;
  }
}

function lastSeq(files: string[]): number {
  for (const file of [...files].reverse()) {
    const lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (const line of lines.reverse()) {
      try {
        return (JSON.parse(line) as JournalEntry).seq;
      } catch {
        // a torn last line from a crash: look at the one before
      }
    }
  }
  return 0;
}
