import { nodeDisk, WRITE_CALLS, type Disk, type WriteCall } from '../persistence/disk';

/** The write failures a data disk gives, as the acceptance tests inject them. */
export const WRITE_FAILURES = ['ENOSPC', 'EIO', 'EPERM'] as const;
export type WriteFailureCode = (typeof WRITE_FAILURES)[number] | 'EACCES' | 'EROFS';

const DESCRIPTIONS: Record<WriteFailureCode, string> = {
  ENOSPC: 'no space left on device',
  EIO: 'i/o error',
  EPERM: 'operation not permitted',
  EACCES: 'permission denied',
  EROFS: 'read-only file system',
};

export interface FailOptions {
  /** Only these calls fail (default: every call that writes, and opening a file to write it). */
  calls?: ReadonlyArray<WriteCall | 'openSync'>;
  /** Only paths containing this fail (a call on a descriptor: the path it was opened with). */
  pathContains?: string;
}

/**
 * The real disk, until {@link fail} makes its writes throw as Node does when a
 * disk is full, broken or read-only; {@link heal} makes them work again.
 */
export class FailingDisk {
  readonly disk: Disk;
  private failure: { code: WriteFailureCode; options: FailOptions } | null = null;
  /** Calls that failed, e.g. `writeSync ENOSPC`. */
  readonly failed: string[] = [];
  private readonly opened = new Map<number, string>();

  constructor(base: Disk = nodeDisk) {
    const overrides: Record<string, unknown> = {};
    for (const call of [...WRITE_CALLS, 'openSync'] as const) {
      const original = base[call] as (...args: unknown[]) => unknown;
      overrides[call] = (...args: unknown[]) => {
        if (this.refuses(call, args)) {
          const { code } = this.failure!;
          this.failed.push(`${call} ${code}`);
          throw Object.assign(new Error(`${code}: ${DESCRIPTIONS[code]}, ${call.replace(/Sync$/, '')}${typeof args[0] === 'string' ? ` '${args[0]}'` : ''}`), {
            code,
            syscall: call.replace(/Sync$/, ''),
            ...(typeof args[0] === 'string' ? { path: args[0] } : {}),
          });
        }
        const result = original.apply(base, args);
        if (call === 'openSync' && typeof result === 'number' && typeof args[0] === 'string') this.opened.set(result, args[0]);
        return result;
      };
    }
    this.disk = new Proxy(base, { get: (target, key) => (key in overrides ? overrides[key as string] : Reflect.get(target, key)) });
  }

  fail(code: WriteFailureCode, options: FailOptions = {}): void {
    this.failure = { code, options };
  }

  heal(): void {
    this.failure = null;
  }

  private refuses(call: WriteCall | 'openSync', args: unknown[]): boolean {
    if (!this.failure) return false;
    const { calls, pathContains } = this.failure.options;
    if (call === 'mkdirSync' && typeof args[0] === 'string' && nodeDisk.existsSync(args[0])) return false;
    if (call === 'openSync' && (args[1] === undefined || args[1] === 'r') && !calls?.includes('openSync')) return false;
    if (calls && !calls.includes(call)) return false;
    const target = typeof args[0] === 'number' ? this.opened.get(args[0]) : args[0];
    if (pathContains && typeof target === 'string' && !target.includes(pathContains)) return false;
    return true;
  }
}
