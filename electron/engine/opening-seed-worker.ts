import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/error-message';
import { chooseOpeningSeed, type OpeningSeedJob, type OpeningSeedReply } from './opening-seed';

if (!parentPort) throw new Error('opening-seed-worker runs only as a worker thread');
try {
  parentPort.postMessage({ ok: true, opening: chooseOpeningSeed(workerData as OpeningSeedJob) } satisfies OpeningSeedReply);
} catch (error) {
  parentPort.postMessage({ ok: false, error: errorMessage(error) } satisfies OpeningSeedReply);
}
