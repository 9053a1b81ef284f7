import path from 'node:path';
import type { JournalEntry } from '../../shared/domain';
import { errorMessage } from '../../shared/error-message';
import { nodeDisk, type Disk } from './persistence/disk';
import { exportChunks, lastSeq, parseEntry, tailEntries, UNREADABLE_LINE } from './persistence/journal-reader';

export interface JournalOptions {
  /** Folder holding `journal.jsonl` and its rotated files. */
  dir: string;
  /** Rotate when the live file passes this size. */
  maxBytes?: number;
  /** Rotated files kept; older ones are deleted, and the deletion journalled (default {@link DEFAULT_MAX_ROTATED_FILES}). */
  maxRotatedFiles?: number;
  now?: () => number;
  onEntry?: (entry: JournalEntry) => void;
  /** Where it writes (default Node's fs); tests make it fail. */
  disk?: Disk;
}

/** With the default 10 MB files, about 200 MB of history. */
export const DEFAULT_MAX_ROTATED_FILES = 20;

/** The type of the entry {@link Journal.tail} and {@link Journal.export} give in place of a line that is not JSON. */
export { UNREADABLE_LINE };

const LIVE_FILE = 'journal.jsonl';
const ROTATED = /^journal-\d+-\d+\.jsonl$/;


/**
 * The append-only journal: one JSON line per event, fsync'd before `record`
 * returns, so an entry is on disk before the action it records is taken.
 *
 * A crash can leave the last line torn. Opening the journal ends it: the torn
 * bytes are moved aside to a `journal.jsonl.torn-*` file and journalled, so the
 * next entry starts on a line of its own and nothing is lost.
 */
export class Journal {
  private readonly file: string;
  private readonly maxBytes: number;
  private readonly maxRotatedFiles: number;
  private readonly now: () => number;
  private fd: number | null;
  private seq: number;
  private size: number;
  private readonly disk: Disk;
  /** After a failed rotation, the size at which it is tried again (so a refused rename is not retried at every entry). */
  private rotateAt: number;

  constructor(private readonly options: JournalOptions) {
    this.disk = options.disk ?? nodeDisk;
    this.disk.mkdirSync(options.dir, { recursive: true });
    this.file = path.join(options.dir, LIVE_FILE);
    this.maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
    this.maxRotatedFiles = options.maxRotatedFiles ?? DEFAULT_MAX_ROTATED_FILES;
    if (!Number.isInteger(this.maxRotatedFiles) || this.maxRotatedFiles < 0) throw new Error(`Journal: maxRotatedFiles must be a whole number at or above zero, got ${this.maxRotatedFiles}`);
    this.now = options.now ?? Date.now;
    const torn = this.endTornLine();
    this.seq = lastSeq(this.disk, this.files());
    this.fd = this.disk.openSync(this.file, 'a');
    this.size = this.disk.fstatSync(this.fd).size;
    this.rotateAt = this.maxBytes;
    if (torn) this.record('journal.repaired', torn);
  }

  /**
   * Appends one entry and returns once it is on disk. Throws when it cannot be written (a full or
   * failing disk, or a closed journal); the file is then left as it was, so the next entry starts on a
   * line of its own. A rotation that fails is reported and writing goes on in the same file.
   */
  record(type: string, data: unknown): JournalEntry {
    const entry = this.append(type, data);
    if (this.size >= this.rotateAt) this.rotate();
    return entry;
  }

  /**
   * For reports from work running in the background (a failed repair, a
   * periodic reconcile), which can finish after shutdown closed the journal:
   * journalled while the journal is open, written to stderr once it is closed
   * or when the write fails. Never throws, so a late report cannot become an
   * unhandled rejection. Orders and breaker trips use {@link record}, which
   * refuses, so that nothing is sent unless it is on disk first.
   */
  report(type: string, data: unknown): void {
    try {
      if (this.fd !== null) {
        this.record(type, data);
        return;
      }
    } catch (error) {
      console.error(`journal: "${type}" could not be recorded (${errorMessage(error)})`, data);
      return;
    }
    console.error(`journal: "${type}" arrived after the journal closed`, data);
  }

  get closed(): boolean {
    return this.fd === null;
  }

  /**
   * The newest entries, oldest first; `filter` matches type or content,
   * case-insensitively. A line that is not JSON is given as a
   * {@link UNREADABLE_LINE} entry in its place. Reads at most the newest
   * TAIL_SCAN_BYTES (2 MB, or `maxBytes`), however little the filter matches.
   */
  tail(limit = 200, filter?: string, maxBytes?: number): JournalEntry[] {
    return tailEntries(this.disk, this.files(), limit, filter, maxBytes);
  }

  /** The entries, rotated files first, as JSON lines, in chunks with the engine running in between (see {@link exportChunks}). */
  exportChunks(): AsyncGenerator<string> {
    return exportChunks(this.disk, this.files());
  }

  /** Every entry, rotated files first, as JSON lines; a line that is not JSON is given as a {@link UNREADABLE_LINE} entry. Never holds the engine up for long. */
  async export(): Promise<string> {
    let content = '';
    for await (const chunk of this.exportChunks()) content += chunk;
    return content;
  }

  close(): void {
    if (this.fd === null) return;
    this.disk.closeSync(this.fd);
    this.fd = null;
  }

  /** Rotated files oldest first, then the live file. */
  private files(): string[] {
    const all = this.rotatedFiles();
    if (this.disk.existsSync(this.file)) all.push(this.file);
    return all;
  }

  private rotatedFiles(): string[] {
    return this.disk
      .readdirSync(this.options.dir)
      .filter((f) => ROTATED.test(f))
      .sort()
      .map((f) => path.join(this.options.dir, f));
  }

  private append(type: string, data: unknown): JournalEntry {
    if (this.fd === null) throw new Error(`The journal is closed: "${type}" was not recorded`);
    const entry: JournalEntry = { seq: this.seq + 1, time: this.now(), type, data };
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`);
    try {
      for (let written = 0; written < bytes.length; ) written += this.disk.writeSync(this.fd, bytes, written);
      this.disk.fsyncSync(this.fd);
    } catch (error) {
      this.cutBackTo(this.fd, this.size);
      throw error;
    }
    this.seq = entry.seq;
    this.size += bytes.length;
    this.options.onEntry?.(entry);
    return entry;
  }

  /** Removes what a failed write left of its line (a full disk can take part of it). */
  private cutBackTo(fd: number, size: number): void {
    try {
      this.disk.ftruncateSync(fd, size);
    } catch {
      // what is left is a torn line: reading gives it as an unreadable entry, and the next open moves it aside
    }
  }

  /**
   * Renames the live file while it stays open, then opens a new one: if the rename or the open is
   * refused, the journal keeps writing to the file it has, reports why, and tries again after another
   * tenth of its size limit.
   */
  private rotate(): void {
    const stamp = String(this.now()).padStart(15, '0');
    const seq = String(this.seq).padStart(12, '0');
    const rotated = path.join(this.options.dir, `journal-${stamp}-${seq}.jsonl`);
    let renamed = false;
    try {
      this.disk.renameSync(this.file, rotated);
      renamed = true;
      const fd = this.disk.openSync(this.file, 'a');
      this.disk.closeSync(this.fd!);
      this.fd = fd;
    } catch (error) {
      if (renamed) this.undoRename(rotated);
      this.reportRotationFailure(error);
      return;
    }
    this.size = 0;
    this.rotateAt = this.maxBytes;
    this.prune();
  }

  private reportRotationFailure(error: unknown): void {
    const retryAtBytes = this.size + Math.max(1, Math.floor(this.maxBytes / 10));
    const failure = { error: errorMessage(error), size: this.size, retryAtBytes };
    try {
      this.append('journal.rotate.failed', failure);
    } catch (appendError) {
      console.error(`journal: "journal.rotate.failed" could not be recorded (${errorMessage(appendError)})`, failure);
    }
    this.rotateAt = Math.max(retryAtBytes, this.size + 1);
  }

  private undoRename(rotated: string): void {
    try {
      this.disk.renameSync(rotated, this.file);
    } catch (error) {
      console.error(`journal: ${rotated} could not be renamed back (${errorMessage(error)}); entries go on into it`);
    }
  }

  private prune(): void {
    const rotated = this.rotatedFiles();
    const excess = rotated.slice(0, Math.max(0, rotated.length - this.maxRotatedFiles));
    if (!excess.length) return;
    const names = excess.map((f) => path.basename(f));
    this.append('journal.pruned', { files: names, kept: this.maxRotatedFiles });
    for (const file of excess) this.disk.rmSync(file, { force: true });
  }

  /**
   * Ends the live file on a whole line. A last line cut before its newline
   * that still reads as an entry gets its newline; anything else after the
   * last newline is moved to a file of its own and cut off the journal.
   * Returns what was moved, for the journal to record.
   */
  private endTornLine(): { bytes: number; text: string; savedTo: string } | null {
    const disk = this.disk;
    if (!disk.existsSync(this.file)) return null;
    const content = disk.readFileSync(this.file);
    if (content.length === 0 || content[content.length - 1] === 0x0a) return null;
    const cut = content.lastIndexOf(0x0a) + 1;
    const torn = content.subarray(cut);
    if (parseEntry(torn.toString('utf8'))) {
      disk.appendFileSync(this.file, '\n', { flush: true });
      return null;
    }
    const savedTo = `${LIVE_FILE}.torn-${String(this.now()).padStart(15, '0')}`;
    disk.writeFileSync(path.join(this.options.dir, savedTo), torn, { flush: true });
    const fd = disk.openSync(this.file, 'r+');
    try {
      disk.ftruncateSync(fd, cut);
      disk.fsyncSync(fd);
    } finally {
      disk.closeSync(fd);
    }
    return { bytes: torn.length, text: torn.toString('utf8'), savedTo };
  }
}

/**
 * Journals what must happen, or has happened, whatever the disk does: a close, a stop, a cancel,
 * an exchange's answer or report. When the entry cannot be written (a full or failing disk, a
 * closed journal) it says so on stderr and returns the error, and the caller carries on: a failed
 * local write never stops a close, a stop or the flatten. Entries are the one thing that stay
 * refused without their journal entry ({@link Journal.record} throws).
 */
export function recordOrCarryOn(journal: Pick<Journal, 'record'>, type: string, data: unknown): unknown {
  try {
    journal.record(type, data);
    return null;
  } catch (error) {
    console.error(`journal: "${type}" could not be recorded (${errorMessage(error)}); carrying on`);
    return error;
  }
}
