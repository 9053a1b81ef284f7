import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../../shared/error-message';
import { candleSeries, runBacktest } from '../backtest';
import { buildStrategy } from '../strategy/catalog';
import type { Strategy } from '../strategy/strategy';
import { readDefinition, strategyFromDefinition } from '../strategy/strategy-definition';
import type { BacktestJobData, BacktestWorkerMessage } from './job-spec';

if (!parentPort) throw new Error('backtest-job-worker runs only as a worker thread, started by the engine');
const port = parentPort;
const job = workerData as BacktestJobData;
const cancelled = new Int32Array(job.cancel);

async function strategy(): Promise<Strategy> {
  if (job.strategy.kind === 'built-in') return buildStrategy(job.strategy.settings);
  const { file } = job.strategy;
  return strategyFromDefinition(file.id, readDefinition((await import(file.module)).default), file.params);
}

try {
  const built = await strategy();
  const data = job.series.map((s) => ({ candles: candleSeries(s.symbol, s.timeframe, s.candles) }));
  const bars = job.series.reduce((n, s) => n + s.candles.length, 0);
  const result = runBacktest({
    strategy: built,
    data,
    settings: job.settings,
    balance: job.balance,
    maxConcurrentPositions: job.maxConcurrentPositions,
    ...(job.from !== undefined ? { from: job.from } : {}),
    ...(job.to !== undefined ? { to: job.to } : {}),
    progressEvery: Math.max(50, Math.ceil(bars / job.series.length / 200)),
    onProgress: (done, total) => port.postMessage({ progress: { done, total } } satisfies BacktestWorkerMessage),
    isCancelled: () => Atomics.load(cancelled, 0) === 1,
  });
  port.postMessage({ result } satisfies BacktestWorkerMessage);
} catch (error) {
  port.postMessage({ error: errorMessage(error) } satisfies BacktestWorkerMessage);
}
