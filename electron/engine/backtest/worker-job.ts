import { Worker } from 'node:worker_threads';
import { workerEntry } from '../strategy/worker-evaluator';
import type { RunSetup } from './run-setup';
import type { BacktestOptions, BacktestResult } from './types';

/** One backtest for a worker thread: everything but the strategy object and the callbacks, which cannot cross threads. */
export interface WorkerJob {
  setup: RunSetup;
  options: Omit<BacktestOptions, 'strategy' | 'settings' | 'onProgress' | 'isCancelled' | 'maxConcurrentPositions'>;
  /** A SharedArrayBuffer of one Int32: set to 1 to cancel (see `runInWorker`). */
  cancel?: SharedArrayBuffer;
}

export type WorkerReply = { type: 'progress'; done: number; total: number } | { type: 'result'; result: BacktestResult } | { type: 'error'; error: string };

/** A backtest running in its own worker thread: its result, and `cancel()` which makes it stop and resolve with `cancelled: true`. */
export interface RunningBacktest {
  result: Promise<BacktestResult>;
  cancel(): void;
}

/**
 * Runs one backtest in a worker thread, so the caller's thread stays free (the
 * cockpit's UI, or a sweep running several at once). Progress comes through
 * `onProgress`; `cancel()` stops it at its next progress check.
 *
 * @example const run = runInWorker({ setup, options: { data, balance: 10_000 } }, (done, total) => bar(done / total));
 */
export function runInWorker(job: Omit<WorkerJob, 'cancel'>, onProgress?: (done: number, total: number) => void): RunningBacktest {
  const cancel = new SharedArrayBuffer(4);
  const entry = workerEntry(import.meta.url, 'backtest-worker');
  const worker = new Worker(entry.file, { execArgv: entry.execArgv, workerData: { ...job, cancel } satisfies WorkerJob, name: 'backtest' });
  const result = new Promise<BacktestResult>((resolve, reject) => {
    let settled = false;
    worker.on('message', (reply: WorkerReply) => {
      if (reply.type === 'progress') onProgress?.(reply.done, reply.total);
      else {
        settled = true;
        void worker.terminate();
        if (reply.type === 'result') resolve(reply.result);
        else reject(new Error(reply.error));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`the backtest worker exited with code ${code} before answering`));
    });
  });
  return { result, cancel: () => Atomics.store(new Int32Array(cancel), 0, 1) };
}
