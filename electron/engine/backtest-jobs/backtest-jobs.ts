import type { CommandInput } from '../../../shared/contract';
import type { BacktestJob, Candle } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import { STRATEGY_FILE_ID, type Settings } from '../../../shared/settings';
import type { BacktestResult } from '../backtest';
import { CommandError } from '../errors';
import { loadReplayFile } from '../sim/feeds/replay';
import { resolveParams } from '../strategy/strategy-definition';
import type { StrategyFiles } from '../strategy-files/strategy-files';
import { backtestReport } from './backtest-report';
import type { HistoryLoader } from './history-loader';
import type { BacktestJobData, BacktestStrategySpec } from './job-spec';
import { runBacktestInWorker, type WorkerBacktestOptions } from './worker-backtest';

/** Share of the progress bar the history fetch takes; the run takes the rest. */
const FETCH_SHARE = 30;

export interface BacktestJobsOptions {
  history: HistoryLoader;
  settings: () => Settings;
  /** The user's strategy files (for `file:…` strategies); null when there is no strategies folder. */
  files: StrategyFiles | null;
  publish: (job: BacktestJob) => void;
  journal: { record(type: string, data: unknown): void };
  newId: () => string;
  /** Where a run happens (tests may pass an in-thread one); a worker thread by default. */
  run?: (job: BacktestJobData, options: WorkerBacktestOptions) => Promise<BacktestResult>;
}

/**
 * The Backtest view's runs, one at a time: history from the exchange (or a
 * file), then the run in a worker thread, each step reported as a `backtest`
 * event with its progress; cancellable throughout.
 */
export class BacktestJobs {
  private current: { job: BacktestJob; abort: AbortController } | null = null;

  constructor(private readonly options: BacktestJobsOptions) {}

  start(request: CommandInput<'backtest.run'>): BacktestJob {
    if (this.current && (this.current.job.phase === 'fetching' || this.current.job.phase === 'running')) {
      throw new CommandError('refused', 'A backtest is already running: cancel it or wait for it to end');
    }
    const strategy = this.strategySpec(request.strategy);
    const job: BacktestJob = {
      id: this.options.newId(),
      strategy: request.strategy,
      symbols: request.symbols,
      timeframe: request.timeframe,
      phase: 'fetching',
      percent: 0,
      message: request.file ? `reading ${request.file}` : 'fetching history',
      report: null,
    };
    const abort = new AbortController();
    this.current = { job, abort };
    this.options.journal.record('backtest.start', { id: job.id, ...request });
    this.publish(job);
    void this.execute(job, request, strategy, abort.signal);
    return { ...job };
  }

  cancel(id: string): BacktestJob {
    if (!this.current || this.current.job.id !== id) throw new CommandError('not-found', `No backtest ${id}`);
    this.current.abort.abort();
    return { ...this.current.job };
  }

  /** Cancels whatever runs (engine stop). */
  stop(): void {
    this.current?.abort.abort();
  }

  private async execute(job: BacktestJob, request: CommandInput<'backtest.run'>, strategy: BacktestStrategySpec, signal: AbortSignal): Promise<void> {
    try {
      const series = await this.history(job, request, signal);
      this.update(job, { phase: 'running', percent: FETCH_SHARE, message: `running over ${series.reduce((n, s) => n + s.candles.length, 0)} bars` });
      const run = this.options.run ?? runBacktestInWorker;
      const result = await run(
        { strategy, series, settings: this.options.settings(), balance: request.balance, from: request.from, to: request.to },
        { signal, onProgress: (done, total) => this.update(job, { percent: FETCH_SHARE + ((100 - FETCH_SHARE) * done) / Math.max(1, total) }) },
      );
      const report = backtestReport(result);
      report.summary.strategy = request.strategy;
      this.options.journal.record('backtest.end', { id: job.id, cancelled: result.cancelled, trades: report.summary.trades, returnPct: report.summary.returnPct });
      this.update(job, result.cancelled ? { phase: 'cancelled', message: 'cancelled: the figures cover the bars done', report } : { phase: 'done', percent: 100, message: 'done', report });
    } catch (error) {
      if (signal.aborted) this.update(job, { phase: 'cancelled', message: 'cancelled while fetching history' });
      else this.update(job, { phase: 'failed', message: errorMessage(error) });
      this.options.journal.record('backtest.end', { id: job.id, phase: job.phase, message: job.message });
    }
  }

  private async history(job: BacktestJob, request: CommandInput<'backtest.run'>, signal: AbortSignal): Promise<BacktestJobData['series']> {
    if (request.file) {
      const bars: Candle[] = loadReplayFile(request.file).bars.filter((c) => c.time >= request.from && c.time < request.to);
      return [{ symbol: request.symbols[0]!, timeframe: request.timeframe, candles: bars }];
    }
    const series: BacktestJobData['series'] = [];
    for (const [i, symbol] of request.symbols.entries()) {
      const candles = await this.options.history.load({ symbol, timeframe: request.timeframe, from: request.from, to: request.to }, (fraction) =>
        this.update(job, { percent: (FETCH_SHARE * (i + fraction)) / request.symbols.length, message: `fetching ${symbol} history` }),
      signal);
      if (candles.length === 0) throw new Error(`The exchange has no ${request.timeframe} history of ${symbol} in that range`);
      series.push({ symbol, timeframe: request.timeframe, candles });
    }
    return series;
  }

  private strategySpec(id: string): BacktestStrategySpec {
    const settings = this.options.settings();
    if (!STRATEGY_FILE_ID.test(id)) {
      const builtIn = settings.strategies.find((s) => s.id === id);
      if (!builtIn) throw new CommandError('not-found', `No strategy ${id}`);
      return { kind: 'built-in', settings: builtIn };
    }
    const loaded = this.options.files?.get(id);
    if (!loaded) throw new CommandError('not-found', `No loaded strategy file ${id.slice('file:'.length)}`);
    const config = settings.strategyFiles.find((s) => s.id === id);
    const resolved = resolveParams(loaded.probe.params, config?.params ?? {});
    if ('errors' in resolved) throw new CommandError('invalid-input', `Parameters of ${id} rejected: ${Object.entries(resolved.errors).map(([n, why]) => `${n} ${why}`).join('; ')}`);
    return { kind: 'file', file: { id, module: loaded.module, params: { ...resolved.params } } };
  }

  private update(job: BacktestJob, change: Partial<BacktestJob>): void {
    if (change.percent !== undefined) change.percent = Math.round(Math.max(job.percent, Math.min(100, change.percent)) * 10) / 10;
    Object.assign(job, change);
    this.publish(job);
  }

  private publish(job: BacktestJob): void {
    this.options.publish({ ...job });
  }
}
