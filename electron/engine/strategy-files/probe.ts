import { Worker } from 'node:worker_threads';
import { errorMessage } from '../../../shared/error-message';
import { strategyWorkerEntry } from '../strategy/worker-evaluator';
import type { FileStrategyData, StrategyFileProbe, StrategyWorkerData, WorkerMessage } from '../strategy/worker-messages';

/**
 * Loads a strategy file's module in a throwaway worker (never on the engine's
 * thread) and reads what it declares: label, timeframe, warm-up for these
 * parameters, and its parameters. Rejects with why it is not a strategy, or
 * when the module does not answer within `timeoutMs`.
 */
export function probeStrategyFile(file: FileStrategyData, timeoutMs: number): Promise<StrategyFileProbe> {
  const entry = strategyWorkerEntry();
  const workerData: StrategyWorkerData = { file, probe: true };
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry.file, { execArgv: entry.execArgv, workerData, name: `probe ${file.id}` });
    worker.unref();
    const end = (settle: () => void) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      worker.on('error', () => {});
      void worker.terminate();
      settle();
    };
    const timer = setTimeout(() => end(() => reject(new Error(`it did not load within ${timeoutMs / 1000} s`))), timeoutMs);
    timer.unref?.();
    worker.on('message', (message: WorkerMessage) => {
      if ('probe' in message) end(() => resolve(message.probe));
    });
    worker.on('error', (error: unknown) => end(() => reject(new Error(errorMessage(error)))));
    worker.on('exit', (code) => end(() => reject(new Error(`its worker exited with code ${code} before it loaded`))));
  });
}
