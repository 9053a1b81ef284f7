import { z } from 'zod';
import type { Fill, SizingSuggestion } from '../../../shared/domain';
import { kellyFromRecord, tradeRecordStats } from '../../../shared/risk/kelly';
import { TradeOutcomes, type TradeOutcome } from '../breakers/trade-outcomes';
import { readJsonFile, writeFileAtomic } from '../persistence/atomic-file';
import { nodeDisk, type Disk } from '../persistence/disk';

/** Closed trades needed before the Kelly suggestion is offered: fewer say little about an edge. */
export const KELLY_MIN_TRADES = 20;
/** The newest closed trades the suggestion measures; older ones are dropped. */
export const KELLY_MAX_TRADES = 100;

const fileSchema = z.array(z.object({ symbol: z.string(), netPnl: z.number(), closedAt: z.number() }));

/**
 * The account's closed trades, as {@link TradeOutcomes} reads them from fills
 * and position lists, kept on disk (newest {@link KELLY_MAX_TRADES}) so the
 * Kelly sizing suggestion survives a restart.
 */
export class TradeRecord {
  private readonly outcomes = new TradeOutcomes();
  private trades: TradeOutcome[] = [];
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
    if (read.kind === 'read') this.trades = read.value.slice(-KELLY_MAX_TRADES);
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

  /** Full, ½ and ¼ Kelly from the recorded trades, never above `riskCap`; no figures until enough trades have closed. */
  sizing(riskCap: number): SizingSuggestion {
    const base = { trades: this.trades.length, minTrades: KELLY_MIN_TRADES, riskCap };
    if (this.trades.length < KELLY_MIN_TRADES) return { ...base, kelly: null };
    const stats = tradeRecordStats(this.trades.map((t) => t.netPnl));
    const { full, half, quarter } = kellyFromRecord(stats, riskCap);
    return { ...base, kelly: { winRate: stats.winRate, averageWin: stats.averageWin, averageLoss: stats.averageLoss, full, half, quarter } };
  }

  private add(trades: TradeOutcome[]): void {
    this.trades = [...this.trades, ...trades].slice(-KELLY_MAX_TRADES);
    if (!this.file) return;
    try {
      writeFileAtomic(this.disk, this.file, JSON.stringify(this.trades), { durable: false });
    } catch {
      // kept in memory; the data disk's warning says what cannot be written
    }
  }
}
