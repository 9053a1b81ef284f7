import path from 'node:path';
import type { JournalEntry } from '../../../shared/domain';
import type { Disk } from './disk';

/** The type of the entry the tail and the export give in place of a line that is not JSON. */
export const UNREADABLE_LINE = 'journal.unreadable';
/** The most the tail reads, from the newest end, to find its entries: it never holds the engine up longer than that takes. */
export const TAIL_SCAN_BYTES = 2 * 1024 * 1024;
/** The export reads and hands over this much at a time, letting the engine run in between. */
export const EXPORT_CHUNK_BYTES = 64 * 1024;

export function parseEntry(line: string): JournalEntry | null {
  try {
    const value = JSON.parse(line) as JournalEntry;
    return value !== null && typeof value === 'object' && typeof value.seq === 'number' && typeof value.type === 'string' ? value : null;
  } catch {
    return null;
  }
}

/**
 * The entry given for a line that is not JSON, placed after the entry before it (its seq is that
 * entry's plus a fraction, so it never equals a real one). `line` is null when the line's number
 * in its file is not known (a tail that did not read the file from its start).
 */
function unreadable(file: string, line: number | null, text: string, previous: JournalEntry | null, inARow: number): JournalEntry {
  return { seq: (previous?.seq ?? 0) + inARow / 1000, time: previous?.time ?? 0, type: UNREADABLE_LINE, data: { file: path.basename(file), line, text } };
}

function readRange(disk: Disk, file: string, start: number, end: number): Buffer {
  const buffer = Buffer.alloc(end - start);
  const fd = disk.openSync(file, 'r');
  try {
    for (let read = 0; read < buffer.length; ) {
      const n = disk.readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) return buffer.subarray(0, read);
      read += n;
    }
  } finally {
    disk.closeSync(fd);
  }
  return buffer;
}

/** The whole lines of the last `maxBytes` of a file, and the 1-based number of the first (null when the window starts mid-file). */
function lastLines(disk: Disk, file: string, maxBytes: number): { lines: string[]; firstLine: number | null; bytes: number } {
  const size = disk.statSync(file).size;
  const start = Math.max(0, size - maxBytes);
  const lines = readRange(disk, file, start, size).toString('utf8').split('\n');
  if (start > 0) lines.shift();
  return { lines, firstLine: start === 0 ? 1 : null, bytes: size - start };
}

/**
 * The newest `limit` entries matching `filter` (type or content, any case), oldest first, from the
 * newest end of `files` (oldest file first), reading at most `maxBytes`: a filter that matches
 * little gives what the newest `maxBytes` hold, never a scan of the whole history.
 */
export function tailEntries(disk: Disk, files: readonly string[], limit: number, filter?: string, maxBytes = TAIL_SCAN_BYTES): JournalEntry[] {
  const needle = filter?.trim().toLowerCase();
  const out: JournalEntry[] = [];
  let budget = maxBytes;
  for (const file of [...files].reverse()) {
    if (budget <= 0) break;
    const { lines, firstLine, bytes } = lastLines(disk, file, budget);
    budget -= bytes;
    const parsed = new Map<number, JournalEntry | null>();
    const entryAt = (i: number) => (parsed.has(i) ? parsed.get(i)! : parsed.set(i, lines[i] ? parseEntry(lines[i]!) : null).get(i)!);
    for (let i = lines.length - 1; i >= 0; i--) {
      const text = lines[i]!;
      if (!text) continue;
      if (needle && !text.toLowerCase().includes(needle) && !(UNREADABLE_LINE.includes(needle) && entryAt(i) === null)) continue;
      const entry = entryAt(i) ?? unreadableAt(lines, i, entryAt, file, firstLine);
      out.push(entry);
      if (out.length >= limit) return out.reverse();
    }
  }
  return out.reverse();
}

function unreadableAt(lines: string[], i: number, entryAt: (i: number) => JournalEntry | null, file: string, firstLine: number | null): JournalEntry {
  let inARow = 1;
  let j = i - 1;
  for (; j >= 0; j--) {
    if (!lines[j]) continue;
    if (entryAt(j)) break;
    inARow += 1;
  }
  return unreadable(file, firstLine === null ? null : firstLine + i, lines[i]!, j >= 0 ? entryAt(j) : null, inARow);
}

/** The seq of the newest readable entry in `files` (oldest file first), 0 when there is none. */
export function lastSeq(disk: Disk, files: readonly string[]): number {
  for (const file of [...files].reverse()) {
    const { lines } = lastLines(disk, file, Number.MAX_SAFE_INTEGER);
    for (let i = lines.length - 1; i >= 0; i--) {
      const entry = lines[i] ? parseEntry(lines[i]!) : null;
      if (entry) return entry.seq;
    }
  }
  return 0;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Every entry of `files` (oldest file first) as JSON lines, in chunks of about
 * {@link EXPORT_CHUNK_BYTES}, yielding to the event loop between chunks, so an export of a
 * long history never holds the engine up. A line that is not JSON is given as an
 * {@link UNREADABLE_LINE} entry.
 */
export async function* exportChunks(disk: Disk, files: readonly string[]): AsyncGenerator<string> {
  for (const file of files) {
    const size = disk.statSync(file).size;
    let carry: Buffer = Buffer.alloc(0);
    let lineNumber = 0;
    let previous: JournalEntry | null = null;
    let inARow = 0;
    const convert = (text: string): string => {
      let out = '';
      for (const line of text.split('\n')) {
        lineNumber += 1;
        if (!line) continue;
        const entry = parseEntry(line);
        if (entry) {
          previous = entry;
          inARow = 0;
          out += `${line}\n`;
        } else {
          inARow += 1;
          out += `${JSON.stringify(unreadable(file, lineNumber, line, previous, inARow))}\n`;
        }
      }
      return out;
    };
    for (let position = 0; position < size; position += EXPORT_CHUNK_BYTES) {
      const data = Buffer.concat([carry, readRange(disk, file, position, Math.min(size, position + EXPORT_CHUNK_BYTES))]);
      const cut = data.lastIndexOf(0x0a) + 1;
      carry = Buffer.from(data.subarray(cut));
      if (cut > 0) yield convert(data.subarray(0, cut - 1).toString('utf8'));
      await nextTurn();
    }
    if (carry.length) yield convert(carry.toString('utf8'));
  }
}
