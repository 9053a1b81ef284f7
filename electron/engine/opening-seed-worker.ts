import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../shared/error-message';
import { chooseOpeningSeed, type OpeningSeedJob, type OpeningSeedReply } from './opening-seed';

if (!parentPort) throw new Error('opening-seed-worker runs only as a worker thread');
const port = parentPort;
const say = (reply: OpeningSeedReply) => port.postMessage(reply);
try {
  const opening = chooseOpeningSeed({ ...(workerData as OpeningSeedJob), onMiss: (seed) => say({ type: 'miss', seed }) });
  say(opening ? { type: 'found', opening } : { type: 'exhausted' });
} catch (error) {
  say({ type: 'error', error: errorMessage(error) });
}
