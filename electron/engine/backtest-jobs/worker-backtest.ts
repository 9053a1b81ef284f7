import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../../shared/error-message';
import type { BacktestResult } from '../backtest';
import { workerEntry } from '../strategy/worker-evaluator';
import type { BacktestJobData, BacktestWorkerMessage } from './job-spec';

export interface WorkerBacktestOptions {
  /** Bars done out of the total, as the run reports them. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting cancels the run: it stops at its next progress report and resolves with what it has (`cancelled: true`). */
  signal?: AbortSignal;
}

/**
 * Runs one backtest in its own worker thread, never on the engine's thread:
 * market data, execution and the flatten go on while it runs. Resolves with
 * the result, or rejects with the run's error (a bad bar, a strategy that throws).
 */
export function runBacktestInWorker(job: Omit<BacktestJobData, 'cancel'>, options: WorkerBacktestOptions = {}): Promise<BacktestResult> {
  const cancel = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancel);
  const entry = workerEntry(import.meta.url, 'backtest-job-worker');
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.file, { execArgv: entry.execArgv, workerData: { ...job, cancel } satisfies BacktestJobData, name: `backtest ${job.series.map((s) => s.symbol).join(',')}` });
    let settled = false;
    const abort = () => Atomics.store(flag, 0, 1);
    const finish = (settle: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      void worker.terminate();
      settle();
    };
    if (options.signal?.aborted) abort();
    options.signal?.addEventListener('abort', abort);
    worker.on('message', (message: BacktestWorkerMessage) => {
      if ('progress' in message) options.onProgress?.(message.progress.done, message.progress.total);
      else if ('result' in message) finish(() => resolve(message.result));
      else finish(() => reject(new Error(message.error)));
    });
    worker.on('error', (error: unknown) => finish(() => reject(new Error(`the backtest's worker failed: ${errorMessage(error)}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`the backtest's worker exited with code ${code}`))));
  });
}
