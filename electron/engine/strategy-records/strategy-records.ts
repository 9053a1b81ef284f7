import type { BacktestRecord, LiveRecord, ProposalRecord, Timeframe } from '../../../shared/domain';

/**
 * The evidence behind each strategy's proposals: its latest backtest per symbol
 * and timeframe, and its live record in the current account.
 */
export class StrategyRecords {
  private readonly backtests = new Map<string, BacktestRecord>();

  /** `changed` hears of each new backtest record (pending proposals then show it). */
  constructor(
    private readonly live: (strategy: string) => LiveRecord | null,
    private readonly changed: (strategy: string, symbol: string) => void = () => {},
  ) {}

  /** Keeps the latest backtest of `strategy` on `symbol` and `timeframe`, replacing the one before. */
  setBacktest(strategy: string, symbol: string, timeframe: Timeframe, record: BacktestRecord): void {
    this.backtests.set(key(strategy, symbol, timeframe), { ...record });
    this.changed(strategy, symbol);
  }

  backtest(strategy: string, symbol: string, timeframe: Timeframe): BacktestRecord | null {
    return this.backtests.get(key(strategy, symbol, timeframe)) ?? null;
  }

  /** What a proposal of `strategy` on `symbol` shows; its parts are null where there is no record yet. */
  recordOf(strategy: string, symbol: string, timeframe: Timeframe): ProposalRecord {
    return { strategy, symbol, timeframe, backtest: this.backtest(strategy, symbol, timeframe), live: this.live(strategy) };
  }
}

function key(strategy: string, symbol: string, timeframe: Timeframe): string {
  return JSON.stringify([strategy, symbol, timeframe]);
}
