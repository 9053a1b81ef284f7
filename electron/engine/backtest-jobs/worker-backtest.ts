import { fileURLToPath } from 'node:url';
import { candleSeries, runInWorker, type BacktestResult, type StrategySpec } from '../backtest';
import type { BacktestJobData, BacktestStrategySpec } from './job-spec';

export interface WorkerBacktestOptions {
  /** Bars done out of the total, as the run reports them. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting cancels the run: it stops at its next progress report and resolves with what it has (`cancelled: true`). */
  signal?: AbortSignal;
}

/** A strategy file runs from the module the strategy runner loaded (its transpiled `.mjs`), through the backtest command's own loader. */
function workerSpec(spec: BacktestStrategySpec): StrategySpec {
  if (spec.kind === 'built-in') return { kind: 'builtin', settings: spec.settings };
  return { kind: 'file', file: fileURLToPath(spec.file.module), params: spec.file.params, timeframe: null };
}

/**
 * Runs one backtest in the backtest runner's worker thread (`runInWorker`),
 * never on the engine's thread: market data, execution and the flatten go on
 * while it runs. Bad bars are refused here, before the worker starts. Resolves
 * with the result, or rejects with the run's error.
 */
export async function runBacktestInWorker(job: BacktestJobData, options: WorkerBacktestOptions = {}): Promise<BacktestResult> {
  const data = job.series.map((s) => ({ candles: candleSeries(s.symbol, s.timeframe, s.candles) }));
  const bars = job.series.reduce((n, s) => n + s.candles.length, 0);
  const run = runInWorker(
    {
      setup: { settings: job.settings, strategy: workerSpec(job.strategy) },
      options: {
        data,
        balance: job.balance,
        ...(job.from !== undefined ? { from: job.from } : {}),
        ...(job.to !== undefined ? { to: job.to } : {}),
        progressEvery: Math.max(50, Math.ceil(bars / job.series.length / 200)),
      },
    },
    options.onProgress,
  );
  if (options.signal?.aborted) run.cancel();
  options.signal?.addEventListener('abort', () => run.cancel(), { once: true });
  return run.result;
}
