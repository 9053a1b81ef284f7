import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import { buildStrategy } from './catalog';
import type { Strategy, StrategyContext, StrategyDecision } from './strategy';
import { evaluationTimeout, profileOf, type StrategyEvaluator, type StrategyEvaluatorFactory, type StrategyProfile } from './strategy-evaluator';
import type { BuilderModule, EvaluationReply, EvaluationRequest, FileStrategyData, StrategyWorkerData, WorkerMessage } from './worker-messages';
import { errorMessage } from '../../../shared/error-message';

/** Candles kept per symbol beyond the strategy's warm-up, to re-warm a fresh worker. */
const REPLAY_MARGIN = 100;
/** A worker that has not built its strategy by then is given up on. */
const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Strategies that do not come from the built-in catalogue (tests): the builder
 * as the worker imports it, and the same function here, called only to read
 * the strategy's label, timeframe and warm-up.
 */
export interface WorkerStrategySource extends BuilderModule {
  build: (settings: StrategySettings) => Strategy;
}

/**
 * Runs each strategy in its own worker thread, so a strategy that is busy
 * (even forever) never blocks market data, execution or the flatten. An
 * evaluation still pending after the timeout stops the worker; a fresh one is
 * re-warmed from the candles this side kept, without the candle that hung.
 */
export function workerEvaluators(source?: WorkerStrategySource): StrategyEvaluatorFactory {
  return (settings, timeoutMs) =>
    new WorkerEvaluator(
      { settings, builder: source ? { module: source.module, exportName: source.exportName } : null },
      profileOf((source?.build ?? buildStrategy)(settings)),
      timeoutMs,
    );
}

/**
 * Runs a strategy file in its own worker thread, fenced like the built-ins.
 * `profile` comes from a probe of the same file and parameters, so none of
 * the file's code runs on the engine's thread.
 */
export function fileEvaluator(file: FileStrategyData, profile: StrategyProfile, timeoutMs: number): StrategyEvaluator {
  return new WorkerEvaluator({ file }, profile, timeoutMs);
}

/**
 * The worker's entry file: next to this module as TypeScript (run through tsx)
 * when the engine runs from its sources (vitest, `npm run headless`), or the
 * built `strategy-worker.js` beside the main bundle (Electron).
 */
export function strategyWorkerEntry(moduleUrl: string = import.meta.url): { file: string; execArgv: string[] } {
  return workerEntry(moduleUrl, 'strategy-worker');
}

/**
 * A worker's entry file `name` beside the calling module: `name.ts` run through tsx
 * when the caller runs from its sources, or the built `name.js` beside the main
 * bundle (electron.vite.config.ts builds each worker entry under its own name).
 */
export function workerEntry(moduleUrl: string, name: string): { file: string; execArgv: string[] } {
  const dir = path.dirname(fileURLToPath(moduleUrl));
  if (!moduleUrl.endsWith('.ts')) return { file: path.join(dir, `${name}.js`), execArgv: [] };
  const tsx = pathToFileURL(createRequire(moduleUrl).resolve('tsx')).href;
  return { file: path.join(dir, `${name}.ts`), execArgv: ['--import', tsx] };
}

interface Evaluation {
  request: EvaluationRequest;
  resolve: (signal: StrategyDecision | null) => void;
  reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

interface Fed {
  candle: Candle;
  context: StrategyContext;
}

class WorkerEvaluator implements StrategyEvaluator {
  private worker: Worker | null = null;
  private ready = false;
  private startup: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Evaluation>();
  private readonly history = new Map<string, Fed[]>();
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly workerData: StrategyWorkerData,
    readonly profile: StrategyProfile,
    private readonly timeoutMs: number,
  ) {}

  evaluate(symbol: string, candle: Candle, context: StrategyContext): Promise<StrategyDecision | null> {
    if (this.closed) return Promise.reject(new Error('the strategy was stopped'));
    return new Promise((resolve, reject) => {
      const evaluation: Evaluation = { request: { id: this.nextId++, symbol, candle, context }, resolve, reject };
      this.pending.set(evaluation.request.id, evaluation);
      this.send(evaluation);
    });
  }

  close(): void {
    this.closed = true;
    this.stopWorker();
    this.failPending(new Error('the strategy was stopped'));
  }

  private send(evaluation: Evaluation): void {
    clearTimeout(evaluation.timer);
    try {
      this.ensureWorker().postMessage(evaluation.request);
    } catch (error) {
      this.pending.delete(evaluation.request.id);
      evaluation.reject(new Error(errorMessage(error)));
      return;
    }
    if (this.ready) this.startClock(evaluation);
  }

  private startClock(evaluation: Evaluation): void {
    clearTimeout(evaluation.timer);
    evaluation.timer = setTimeout(() => this.timedOut(evaluation), this.timeoutMs);
    evaluation.timer.unref?.();
  }

  /** A worker's start-up is not the strategy's time: what waited for it gets its whole timeout from now. */
  private started(worker: Worker): void {
    if (worker !== this.worker) return;
    this.ready = true;
    clearTimeout(this.startup);
    for (const evaluation of this.pending.values()) this.startClock(evaluation);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const entry = strategyWorkerEntry();
    const worker = new Worker(entry.file, { execArgv: entry.execArgv, workerData: this.workerData, name: `strategy ${this.profile.id}` });
    worker.unref();
    worker.on('message', (message: WorkerMessage) => {
      if ('ready' in message) this.started(worker);
      else if ('id' in message) this.settle(message);
    });
    worker.on('error', (error: unknown) => this.lost(worker, errorMessage(error)));
    worker.on('exit', (code) => this.lost(worker, `its worker exited with code ${code}`));
    this.worker = worker;
    this.startup = setTimeout(() => this.lost(worker, `it did not start within ${STARTUP_TIMEOUT_MS / 1000} s`), STARTUP_TIMEOUT_MS);
    this.startup.unref?.();
    for (const [symbol, fed] of this.history) for (const { candle, context } of fed) worker.postMessage({ id: 0, symbol, candle, context } satisfies EvaluationRequest);
    return worker;
  }

  private settle(reply: EvaluationReply): void {
    const evaluation = this.pending.get(reply.id);
    if (!evaluation) return;
    this.pending.delete(reply.id);
    clearTimeout(evaluation.timer);
    this.remember(evaluation.request);
    if (reply.ok) evaluation.resolve(reply.signal);
    else evaluation.reject(new Error(reply.error));
  }

  private remember({ symbol, candle, context }: EvaluationRequest): void {
    let fed = this.history.get(symbol);
    if (!fed) this.history.set(symbol, (fed = []));
    fed.push({ candle, context });
    if (fed.length > this.profile.warmup + REPLAY_MARGIN) fed.shift();
  }

  /** The candle that hung is dropped; the others still pending go to the fresh worker after its re-warm. */
  private timedOut(evaluation: Evaluation): void {
    if (!this.pending.delete(evaluation.request.id)) return;
    this.stopWorker();
    evaluation.reject(evaluationTimeout(this.timeoutMs, 'stopped; the strategy restarted without that candle'));
    if (this.closed) return;
    try {
      this.ensureWorker();
    } catch (error) {
      this.failPending(new Error(`the strategy's worker could not restart: ${errorMessage(error)}`));
    }
    for (const other of this.pending.values()) this.send(other);
  }

  /** The worker died on its own: what it was evaluating fails, and the next candle starts a fresh, re-warmed one. */
  private lost(worker: Worker, why: string): void {
    if (worker !== this.worker) return;
    this.stopWorker();
    this.failPending(new Error(`the strategy's worker stopped: ${why}`));
  }

  private failPending(error: Error): void {
    for (const evaluation of this.pending.values()) {
      clearTimeout(evaluation.timer);
      evaluation.reject(error);
    }
    this.pending.clear();
  }

  private stopWorker(): void {
    const worker = this.worker;
    this.worker = null;
    this.ready = false;
    clearTimeout(this.startup);
    void worker?.terminate();
  }
}

