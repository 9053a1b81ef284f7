import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../../shared/error-message';
import { runBacktest } from './backtest';
import { maxConcurrentOf, strategyOf } from './run-setup';
import type { WorkerJob, WorkerReply } from './worker-job';

if (!parentPort) throw new Error('backtest-worker runs only as a worker thread');
const port = parentPort;
const job = workerData as WorkerJob;
const cancelled = job.cancel ? new Int32Array(job.cancel) : null;

try {
  const strategy = await strategyOf(job.setup.strategy);
  const result = runBacktest({
    ...job.options,
    strategy,
    settings: job.setup.settings,
    maxConcurrentPositions: maxConcurrentOf(job.setup.strategy),
    onProgress: (done, total) => port.postMessage({ type: 'progress', done, total } satisfies WorkerReply),
    isCancelled: () => (cancelled ? Atomics.load(cancelled, 0) === 1 : false),
  });
  port.postMessage({ type: 'result', result } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ type: 'error', error: errorMessage(error) } satisfies WorkerReply);
}
