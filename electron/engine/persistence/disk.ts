import fs from 'node:fs';

/**
 * The one way the engine touches its data folder: every file it writes (the
 * journal, breaker state, settings, the execution ledger, closed trades) goes
 * through a `Disk`. In use it is Node's own `fs`; tests hand in one that
 * fails on demand (ENOSPC, EIO, EPERM), and {@link DataDiskHealth} watches one
 * to tell the user when the data folder cannot be written.
 */
export type Disk = Pick<
  typeof fs,
  | 'existsSync'
  | 'readFileSync'
  | 'readdirSync'
  | 'statSync'
  | 'fstatSync'
  | 'openSync'
  | 'readSync'
  | 'closeSync'
  | 'mkdirSync'
  | 'writeSync'
  | 'fsyncSync'
  | 'ftruncateSync'
  | 'renameSync'
  | 'rmSync'
  | 'appendFileSync'
  | 'writeFileSync'
>;

/** The calls of a {@link Disk} that change what is on disk; the others only read. */
export const WRITE_CALLS = ['mkdirSync', 'writeSync', 'fsyncSync', 'ftruncateSync', 'renameSync', 'rmSync', 'appendFileSync', 'writeFileSync'] as const;
export type WriteCall = (typeof WRITE_CALLS)[number];

/** Node's file system, as it is. */
export const nodeDisk: Disk = fs;

/** Node's error code of a failed file call (`ENOSPC`, `EIO`…), or null when the error carries none. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
