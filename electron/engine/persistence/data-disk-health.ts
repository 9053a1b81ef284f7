import path from 'node:path';
import type { DataDiskStatus } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import { errorCode, WRITE_CALLS, type Disk, type WriteCall } from './disk';

/** Calls whose success shows the disk takes data again (opening, renaming or removing succeed on a full disk too). */
const DATA_WRITES: ReadonlySet<WriteCall> = new Set(['writeSync', 'fsyncSync', 'appendFileSync', 'writeFileSync']);

const PROBE_FILE = '.write-check';

interface Failure {
  code: string | null;
  detail: string;
  at: number;
}

/** The cause of a failed write in a trader's words, e.g. `Data disk full` for ENOSPC. */
export function writeFailureCause(code: string | null, detail: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'Data disk full';
    case 'EDQUOT':
      return 'Data disk quota exceeded';
    case 'EIO':
      return 'Data disk input/output error';
    case 'EROFS':
      return 'Data disk is read-only';
    case 'EPERM':
    case 'EACCES':
      return 'Data folder not writable (permission denied)';
    default:
      return `Data folder cannot be written (${code ?? detail})`;
  }
}

/**
 * Watches every write to the data folder. A failed write marks its concern (the journal, the breaker
 * state…) unwritable and the user is told, with the cause, until a write of that concern succeeds
 * again or {@link probe} finds the disk takes data again. Nothing here stops a write being tried.
 */
export class DataDiskHealth {
  private readonly failures = new Map<string, Failure>();
  private readonly listeners = new Set<(status: DataDiskStatus) => void>();

  constructor(
    private readonly disk: Disk,
    private readonly options: { dataDir: string; now: () => number },
  ) {}

  /** The disk as `concern` (e.g. `the journal`) writes it: every write call's outcome is noted. */
  watch(concern: string): Disk {
    const watched: Record<string, unknown> = {};
    for (const call of WRITE_CALLS) {
      const original = this.disk[call] as (...args: unknown[]) => unknown;
      watched[call] = (...args: unknown[]) => {
        try {
          const result = original.apply(this.disk, args);
          if (DATA_WRITES.has(call)) this.succeeded(concern);
          return result;
        } catch (error) {
          this.failed(concern, error);
          throw error;
        }
      };
    }
    return new Proxy(this.disk, { get: (target, key) => (key in watched ? watched[key as string] : Reflect.get(target, key)) });
  }

  get writable(): boolean {
    return this.failures.size === 0;
  }

  status(): DataDiskStatus {
    if (this.writable) return { writable: true, code: null, concerns: [], message: null, since: null };
    const failures = [...this.failures.values()];
    const latest = failures.reduce((a, b) => (b.at >= a.at ? b : a));
    const concerns = [...this.failures.keys()];
    const cause = writeFailureCause(latest.code, latest.detail);
    return { writable: false, code: latest.code, concerns, message: `${cause}: ${joinConcerns(concerns)} cannot be written`, since: Math.min(...failures.map((f) => f.at)) };
  }

  /** Called with the new status each time writability or its cause changes. Returns the unsubscribe. */
  onChange(listener: (status: DataDiskStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * While something could not be written: writes and syncs a small file in the data folder. When the
   * disk takes it, every concern counts as writable again (each retries its own write as it next needs to).
   * Returns whether the disk is writable now.
   */
  probe(): boolean {
    if (this.writable) return true;
    const file = path.join(this.options.dataDir, PROBE_FILE);
    let fd: number | null = null;
    try {
      fd = this.disk.openSync(file, 'w');
      this.disk.writeSync(fd, `${this.options.now()}\n`);
      this.disk.fsyncSync(fd);
    } catch {
      return false;
    } finally {
      if (fd !== null) closeQuietly(this.disk, fd);
    }
    this.failures.clear();
    this.changed();
    return true;
  }

  private failed(concern: string, error: unknown): void {
    const code = errorCode(error);
    const previous = this.failures.get(concern);
    this.failures.set(concern, { code, detail: errorMessage(error), at: previous?.at ?? this.options.now() });
    if (previous?.code !== code || !previous) this.changed();
  }

  private succeeded(concern: string): void {
    if (this.failures.delete(concern)) this.changed();
  }

  private changed(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }
}

function joinConcerns(concerns: string[]): string {
  return concerns.length <= 1 ? (concerns[0] ?? '') : `${concerns.slice(0, -1).join(', ')} and ${concerns.at(-1)}`;
}

function closeQuietly(disk: Disk, fd: number): void {
  try {
    disk.closeSync(fd);
  } catch {
    // the descriptor is gone either way
  }
}
