import { z } from 'zod';
import type { Fill, LiveRecord, SizingSuggestion } from '../../../shared/domain';
import { kellyFromRecord, tradeRecordStats } from '../../../shared/risk/kelly';
import { TradeOutcomes, type TradeOutcome } from '../breakers/trade-outcomes';
import { readJsonFile, writeFileAtomic } from '../persistence/atomic-file';
import { nodeDisk, type Disk } from '../persistence/disk';

/** Closed trades needed before the Kelly suggestion is offered: fewer say little about an edge. */
export const KELLY_MIN_TRADES = 20;
/** The newest closed trades the suggestion measures. */
export const KELLY_MAX_TRADES = 100;
/** The newest closed trades kept (the strategies' live records read them); older ones are dropped. */
export const RECORD_MAX_TRADES = 1_000;

const fileSchema = z.array(
  z.object({ symbol: z.string(), netPnl: z.number(), closedAt: z.number(), strategy: z.string().optional(), r: z.number().nullable().optional() }),
);

/** A closed trade, and the strategy that opened it with its result in R (net result over the money risked at entry). */
export interface RecordedTrade extends TradeOutcome {
  strategy?: string;
  r?: number | null;
}

/** Who opened the position on a symbol, and what it risked: read when its trade closes. */
interface Origin {
  strategy: string;
  riskAmount: number;
}

/**
 * The account's closed trades, as {@link TradeOutcomes} reads them from fills
 * and position lists, kept on disk (newest {@link KELLY_MAX_TRADES}) so the
 * Kelly sizing suggestion survives a restart.
 */
export class TradeRecord {
  private readonly outcomes = new TradeOutcomes();
  private trades: RecordedTrade[] = [];
  private readonly origins = new Map<string, Origin>();
  private readonly disk: Disk;

  /**
   * `file` null keeps the record in memory. An unreadable file is moved aside and the record starts empty.
   * A save that fails (a full disk) keeps the trades in memory; the next closed trade saves them all.
   */
  constructor(
    private readonly file: string | null,
    options: { disk?: Disk } = {},
  ) {
    this.disk = options.disk ?? nodeDisk;
    if (!file) return;
    const read = readJsonFile(this.disk, file, (value) => fileSchema.parse(value));
    if (read.kind === 'read') this.trades = read.value.slice(-RECORD_MAX_TRADES);
  }

  /** Returns true when the fill closed a trade. */
  onFill(fill: Fill): boolean {
    const trade = this.outcomes.onFill(fill);
    if (trade) this.add([trade]);
    return trade !== null;
  }

  /** Takes the symbols that hold a position now; returns true when a trade closed. */
  onPositions(openSymbols: Iterable<string>): boolean {
    const ended = this.outcomes.onPositions(openSymbols);
    if (ended.length) this.add(ended);
    return ended.length > 0;
  }

  /**
   * The position now opening on `symbol` was the strategy's (or `manual`): its trade, when it closes,
   * counts in that strategy's live record, in R of `riskAmount`. Kept in memory: a trade open across a restart counts for the account only.
   */
  opened(symbol: string, strategy: string, riskAmount: number): void {
    this.origins.set(symbol, { strategy, riskAmount });
  }

  /** The strategy's closed trades in this account: count, win rate and average R; null before its first. */
  liveRecord(strategy: string): LiveRecord | null {
    const mine = this.trades.filter((t) => t.strategy === strategy);
    if (mine.length === 0) return null;
    const rs = mine.map((t) => t.r).filter((r): r is number => typeof r === 'number');
    return {
      closedTrades: mine.length,
      winRate: mine.filter((t) => t.netPnl > 0).length / mine.length,
      averageR: rs.length ? rs.reduce((sum, r) => sum + r, 0) / rs.length : 0,
    };
  }

  /** Full, ½ and ¼ Kelly from the newest recorded trades, never above `riskCap`; no figures until enough trades have closed. */
  sizing(riskCap: number): SizingSuggestion {
    const measured = this.trades.slice(-KELLY_MAX_TRADES);
    const base = { trades: measured.length, minTrades: KELLY_MIN_TRADES, riskCap };
    if (measured.length < KELLY_MIN_TRADES) return { ...base, kelly: null };
    const stats = tradeRecordStats(measured.map((t) => t.netPnl));
    const { full, half, quarter } = kellyFromRecord(stats, riskCap);
    return { ...base, kelly: { winRate: stats.winRate, averageWin: stats.averageWin, averageLoss: stats.averageLoss, full, half, quarter } };
  }

  private add(trades: TradeOutcome[]): void {
    const recorded = trades.map((trade): RecordedTrade => {
      const origin = this.origins.get(trade.symbol);
      if (!origin) return trade;
      this.origins.delete(trade.symbol);
      return { ...trade, strategy: origin.strategy, r: origin.riskAmount > 0 ? trade.netPnl / origin.riskAmount : null };
    });
    this.trades = [...this.trades, ...recorded].slice(-RECORD_MAX_TRADES);
    if (!this.file) return;
    try {
      writeFileAtomic(this.disk, this.file, JSON.stringify(this.trades), { durable: false });
    } catch {
      // kept in memory; the data disk's warning says what cannot be written
    }
  }
}
