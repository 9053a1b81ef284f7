import path from 'node:path';
import { errorMessage } from '../../../shared/error-message';
import type { Disk } from './disk';

/**
 * Replaces `file` with `text` so that a crash leaves either the old file or the new one, never a
 * torn one: written to a temp file, fsync'd (when `durable`), then renamed over it. A failed write
 * leaves the old file as it was and removes the temp file.
 */
export function writeFileAtomic(disk: Disk, file: string, text: string, options: { durable: boolean } = { durable: true }): void {
  disk.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  try {
    const fd = disk.openSync(tmp, 'w');
    try {
      const bytes = Buffer.from(text);
      for (let written = 0; written < bytes.length; ) written += disk.writeSync(fd, bytes, written);
      if (options.durable) disk.fsyncSync(fd);
    } finally {
      disk.closeSync(fd);
    }
    disk.renameSync(tmp, file);
  } catch (error) {
    try {
      disk.rmSync(tmp, { force: true });
    } catch {
      // the temp file is only ever read as a leftover
    }
    throw error;
  }
}

/** What a JSON file held: nothing yet, its parsed content, or a problem (the file then moved aside). */
export type JsonFileRead<T> = { kind: 'missing' } | { kind: 'read'; value: T } | { kind: 'unreadable'; problem: string; movedTo: string | null };

/**
 * Reads a JSON file and checks it with `parse` (which throws to reject it). A file that cannot be
 * read or parsed, or that `parse` rejects, is moved aside to `<file>.unreadable-<time>` (left in place
 * when even that fails, `movedTo` null), never silently replaced.
 */
export function readJsonFile<T>(disk: Disk, file: string, parse: (value: unknown) => T, now: () => number = Date.now): JsonFileRead<T> {
  if (!disk.existsSync(file)) return { kind: 'missing' };
  let problem: string;
  try {
    return { kind: 'read', value: parse(JSON.parse(disk.readFileSync(file, 'utf8'))) };
  } catch (error) {
    problem = errorMessage(error);
  }
  const movedTo = `${file}.unreadable-${now()}`;
  try {
    disk.renameSync(file, movedTo);
    return { kind: 'unreadable', problem, movedTo };
  } catch (error) {
    return { kind: 'unreadable', problem: `${problem}; it could not be moved aside either (${errorMessage(error)})`, movedTo: null };
  }
}
