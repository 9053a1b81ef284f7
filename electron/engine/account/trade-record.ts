import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Fill, SizingSuggestion } from '../../../shared/domain';
import { kellyFromRecord, tradeRecordStats } from '../../../shared/risk/kelly';
import { TradeOutcomes, type TradeOutcome } from '../breakers/trade-outcomes';

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

  /** `file` null keeps the record in memory. An unreadable file is moved aside and the record starts empty. */
  constructor(private readonly file: string | null) {
    if (!file || !fs.existsSync(file)) return;
    const parsed = (() => {
      try {
        return fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
      } catch {
        return null;
      }
    })();
    if (parsed?.success) this.trades = parsed.data.slice(-KELLY_MAX_TRADES);
    else fs.renameSync(file, `${file}.unreadable-${Date.now()}`);
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
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.trades));
    fs.renameSync(tmp, this.file);
  }
}
