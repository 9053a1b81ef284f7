import fs from 'node:fs';
import path from 'node:path';
import type { FundingPayment, FundingSummary, Ticker } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import { netFunding, utcDayStart } from '../../../shared/risk/funding';
import type { ExchangeAdapter } from '../exchange/adapter';

/** How long after a settlement the exchange is asked for its payments (they are booked a moment after). */
export const SETTLEMENT_SETTLE_MS = 5_000;

export interface FundingServiceDeps {
  adapter: Pick<ExchangeAdapter, 'fetchFundingPayments'>;
  now: () => number;
  publish: (summary: FundingSummary) => void;
  /** Journals a problem; never throws. */
  report: (type: string, data: Record<string, unknown>) => void;
  /** Where each open position's opening time is kept across restarts (per account); null keeps it in memory. */
  file: string | null;
}

/**
 * Funding in sight: the account's funding payments from the exchange (Binance income FUNDING_FEE, ccxt
 * `fetchFundingHistory`; the simulator's own in paper mode), read at start, when a position opens or closes,
 * and a few seconds after each settlement the tickers announce. It publishes the day's net funding and each
 * open position's since it opened (the opening time is the first position list that showed it, kept on disk).
 */
export class FundingService {
  private readonly openedAt = new Map<string, number>();
  private payments: FundingPayment[] = [];
  private today: number | null = null;
  private dueAt: number | null = null;
  /** The exchange's clock, as its tickers tell it (a sped-up paper exchange runs ahead of the wall clock). */
  private exchangeTime: number | null = null;
  private refreshing: Promise<void> | null = null;
  private again = false;

  constructor(private readonly deps: FundingServiceDeps) {
    for (const [symbol, time] of Object.entries(this.load())) this.openedAt.set(symbol, time);
  }

  summary(): FundingSummary {
    const positions = [...this.openedAt].map(([symbol, openedAt]) => ({ symbol, openedAt, net: netFunding(this.payments, symbol, openedAt) }));
    return { today: this.today, positions, updatedAt: this.clock() };
  }

  /** The symbols with an open position now: a new one starts counting from now, a closed one is dropped. */
  observePositions(symbols: readonly string[]): void {
    const open = new Set(symbols);
    const opened = symbols.filter((s) => !this.openedAt.has(s));
    const closed = [...this.openedAt.keys()].filter((s) => !open.has(s));
    if (!opened.length && !closed.length) return;
    for (const symbol of opened) this.openedAt.set(symbol, this.clock());
    for (const symbol of closed) this.openedAt.delete(symbol);
    this.save();
    this.deps.publish(this.summary());
  }

  /** Each ticker names the next settlement; once it has passed (and settled), the payments are read again. */
  observeTicker(ticker: Pick<Ticker, 'nextFundingTime' | 'time'>): void {
    if (Number.isFinite(ticker.time) && ticker.time > (this.exchangeTime ?? 0)) this.exchangeTime = ticker.time;
    const now = this.clock();
    const next = ticker.nextFundingTime;
    if (next > 0 && (this.dueAt === null || next < this.dueAt)) this.dueAt = next;
    if (this.dueAt !== null && now >= this.dueAt + SETTLEMENT_SETTLE_MS) {
      this.dueAt = next > now ? next : null;
      void this.refresh();
    }
  }

  /** Reads the payments since the start of the day or the oldest open position, whichever is earlier, and publishes. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.readPayments();
      } while (this.again);
    })().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private clock(): number {
    return this.exchangeTime ?? this.deps.now();
  }

  private async readPayments(): Promise<void> {
    const now = this.clock();
    const dayStart = utcDayStart(now);
    const since = Math.min(dayStart, ...this.openedAt.values());
    try {
      this.payments = await this.deps.adapter.fetchFundingPayments(since);
      this.today = netFunding(this.payments, null, dayStart);
      this.deps.publish(this.summary());
    } catch (error) {
      this.deps.report('funding.read.error', { error: errorMessage(error) });
    }
  }

  private load(): Record<string, number> {
    if (!this.deps.file || !fs.existsSync(this.deps.file)) return {};
    try {
      const parsed = JSON.parse(fs.readFileSync(this.deps.file, 'utf8')) as unknown;
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
    } catch (error) {
      this.deps.report('funding.file.unreadable', { file: this.deps.file, error: errorMessage(error) });
      return {};
    }
  }

  private save(): void {
    if (!this.deps.file) return;
    try {
      fs.mkdirSync(path.dirname(this.deps.file), { recursive: true });
      const tmp = `${this.deps.file}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.openedAt)));
      fs.renameSync(tmp, this.deps.file);
    } catch (error) {
      this.deps.report('funding.file.write.error', { file: this.deps.file, error: errorMessage(error) });
    }
  }
}
