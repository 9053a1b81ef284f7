import { TIMEFRAME_MS, type BacktestRecord, type Candle, type Timeframe } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import type { BacktestResult, BacktestSummary } from '../backtest';
import type { BacktestJobData, BacktestStrategySpec } from '../backtest-jobs/job-spec';
import type { StrategyRecords } from './strategy-records';

/** Runs a record's backtest about once a day, and whenever the strategy (or its settings) changes. */
export const RECORD_REFRESH_MS = 24 * 60 * 60_000;
/** Bars of the engine's history a record's backtest covers. */
export const RECORD_HISTORY_BARS = 1_500;

/** One enabled strategy whose record is kept: what to run, on which symbols. */
export interface RecordedStrategy {
  id: string;
  timeframe: Timeframe;
  spec: BacktestStrategySpec;
  symbols: readonly string[];
  /** Changes when the strategy or its settings change: the record is then run again. */
  fingerprint: string;
}

export interface RecordBacktestsOptions {
  records: StrategyRecords;
  /** The enabled strategies now. */
  strategies: () => RecordedStrategy[];
  /** The history the engine holds for a symbol and timeframe, oldest first. */
  history: (symbol: string, timeframe: Timeframe, bars: number) => Promise<Candle[]>;
  settings: () => Settings;
  /** Runs one backtest off the engine's thread (a worker). */
  run: (job: BacktestJobData) => Promise<BacktestResult>;
  now: () => number;
  /** A record that could not be made (too little history, a strategy that throws): journalled, never thrown. */
  report: (type: string, data: unknown) => void;
  /** The starting balance of a record's backtest (the account's equity, or 10,000 USDT before it is known). */
  balance: () => number;
}

/** The figures a proposal shows, from a backtest's summary. */
export function backtestRecord(summary: BacktestSummary, ranAt: number): BacktestRecord {
  return {
    trades: summary.trades,
    winRate: summary.winRatePct / 100,
    profitFactor: summary.profitFactor,
    averageR: summary.expectancyR,
    maxDrawdownPct: summary.maxDrawdownPct,
    from: summary.from,
    to: summary.to,
    ranAt,
  };
}

/**
 * Keeps each enabled strategy's record backtest current: over the history the
 * engine holds on each of its symbols, in a worker, one run at a time, when
 * the strategy is enabled or changed and again daily. Each result replaces the
 * record its proposals show.
 */
export class RecordBacktests {
  private readonly done = new Map<string, { fingerprint: string; at: number }>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: RecordBacktestsOptions) {}

  /** Queues a run for every strategy and symbol whose record is missing, stale or of other settings; resolves when they ran. */
  refresh(): Promise<void> {
    this.queue = this.queue.then(() => this.runDue());
    return this.queue;
  }

  stop(): void {
    this.stopped = true;
  }

  private async runDue(): Promise<void> {
    for (const strategy of this.options.strategies()) {
      for (const symbol of strategy.symbols) {
        if (this.stopped) return;
        const key = JSON.stringify([strategy.id, symbol]);
        const last = this.done.get(key);
        if (last && last.fingerprint === strategy.fingerprint && this.options.now() - last.at < RECORD_REFRESH_MS) continue;
        this.done.set(key, { fingerprint: strategy.fingerprint, at: this.options.now() });
        await this.runOne(strategy, symbol).catch((error: unknown) =>
          this.options.report('strategy.record.error', { strategy: strategy.id, symbol, error: error instanceof Error ? error.message : String(error) }),
        );
      }
    }
  }

  private async runOne(strategy: RecordedStrategy, symbol: string): Promise<void> {
    const tf = TIMEFRAME_MS[strategy.timeframe];
    const now = this.options.now();
    const candles = (await this.options.history(symbol, strategy.timeframe, RECORD_HISTORY_BARS)).filter((c) => c.time + tf <= now);
    if (candles.length === 0) return;
    const result = await this.options.run({
      strategy: strategy.spec,
      series: [{ symbol, timeframe: strategy.timeframe, candles }],
      settings: this.options.settings(),
      balance: this.options.balance(),
    });
    if (this.stopped || result.cancelled) return;
    this.options.records.setBacktest(strategy.id, symbol, strategy.timeframe, backtestRecord(result.summary, this.options.now()));
  }
}
