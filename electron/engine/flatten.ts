import type { FlattenReport, FlattenSymbolProgress, MarketInfo, Order } from '../../shared/domain';
import type { ExchangeAdapter, ExchangePosition, OrderRequest } from './exchange/adapter';
import { clientOrderId, operationIdFactory } from './exchange/client-order-id';
import { OrderNotFoundError, RateLimitBanError, TemporaryExchangeError } from './exchange/errors';
import { DEFAULT_RETRY, sendOrder, withRetry, type RetryPolicy } from './exchange/retry';
import type { ExecutionLock, Lease } from './execution-lock';
import { closingSide } from './execution/order-sides';
import { closeChunks } from './flatten/close-chunks';
import type { Journal } from './journal';
import { describeError } from '../../shared/error-message';

/** What the exchange last reported, pushed or fetched before the flatten began. */
export interface LastReported {
  positions: readonly ExchangePosition[];
  orders: readonly Order[];
}

export interface FlattenerOptions {
  adapter: ExchangeAdapter;
  journal: Pick<Journal, 'record'>;
  lock: ExecutionLock;
  now: () => number;
  /** Receives the report each time it changes: per-symbol progress, then the result. */
  report: (report: FlattenReport) => void;
  /**
   * Halts the strategy loop and auto mode and rejects pending proposals. Called
   * first and never waited for: a busy or stuck loop cannot hold the flatten up.
   */
  halt?: (reason: string) => unknown;
  /**
   * The account as the exchange last reported it (its push streams, or the last
   * REST reconciliation). When it holds anything, the flatten acts on it at once
   * (round 0) instead of waiting for a first REST look; the REST rounds that
   * follow confirm, and act on whatever it missed. Reduce-only orders make a
   * stale report harmless: they can close, never open or grow a position.
   */
  lastReported?: () => LastReported;
  /** Rounds of cancel-and-close on the REST view before giving up; each is followed by a fresh look at the exchange. */
  maxRounds?: number;
  /** Retries of each request on temporary errors. */
  retry?: RetryPolicy;
  /** Pause before the next look after a round with failures. */
  pauseMs?: (round: number) => number;
  /**
   * Longest pause a `Retry-After` stretches that to (default {@link DEFAULT_MAX_RETRY_AFTER_PAUSE_MS}):
   * the next look waits for the latest time the exchange asked for, so a rate-limited flatten
   * does not keep sending into its 429s and earn a 418 ban.
   */
  maxRetryAfterPauseMs?: number;
  sleep?: (ms: number) => Promise<void>;
  newId?: () => string;
}

export const DEFAULT_MAX_ROUNDS = 8;
export const DEFAULT_MAX_RETRY_AFTER_PAUSE_MS = 30_000;
/** Longest wait for an order that pre-empted work had already sent (about one request timeout). */
const STRAGGLER_WAIT_MS = 15_000;

/** What the exchange holds on one symbol. */
interface Holding {
  symbol: string;
  position: ExchangePosition | null;
  orders: Order[];
}

/**
 * Up to this many open orders on a symbol are cancelled one by one, all at
 * once; more than that, with the adapter's cancel-all (which costs about this
 * many requests). Orders the round did not see are left to the next look.
 */
export const CANCEL_ONE_BY_ONE_UP_TO = 4;

type Progress = FlattenSymbolProgress & { lastError: string | null };

interface PlannedClose {
  symbol: string;
  request: OrderRequest;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The emergency flatten. It seizes the execution lock (revoking whatever holds
 * it), halts the strategy loop, then, for every symbol where the exchange
 * reports a position or an open order, in parallel, cancels every normal and
 * conditional order it sees and closes the reported size with reduce-only
 * market orders. It looks again over REST and repeats until the account is flat or the
 * round limit is reached, and reports exactly what remains and why. It covers
 * positions the bot did not open, needs no websocket, and nothing can veto it.
 *
 * Each round is journalled in one write before any of its requests leaves
 * (every order with its client order id), and its results in one write after.
 * The journal never stops it: when an entry cannot be written (a full or failing
 * disk, a closed journal) every request still goes out, and the report carries the
 * journal's failure in `journalFailure` beside the exchange's verdict in `flat`.
 */
export class Flattener {
  private running: Promise<FlattenReport> | null = null;
  private last: FlattenReport | null = null;
  private readonly newId: () => string;

  constructor(private readonly options: FlattenerOptions) {
    this.newId = options.newId ?? operationIdFactory(options.now);
  }

  /** The latest report, running or finished. */
  get lastReport(): FlattenReport | null {
    return this.last ? structuredClone(this.last) : null;
  }

  /** Flattens everything. A call while a flatten runs joins it and gets its report. */
  flatten(reason: string): Promise<FlattenReport> {
    if (this.running) {
      try {
        this.options.journal.record('flatten.join', { id: this.last?.id ?? null, reason });
      } catch {
        // the flatten it joins reports the journal's failure
      }
      return this.running;
    }
    const run = new FlattenRun(this.options, this.newId().slice(0, 13), reason, (report) => {
      this.last = report;
      this.options.report(structuredClone(report));
    });
    this.running = run.execute().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}

class FlattenRun {
  private readonly report: FlattenReport;
  private readonly progress = new Map<string, Progress>();
  private readonly symbolIndex = new Map<string, number>();
  private readonly maxRounds: number;
  private readonly retry: RetryPolicy;
  private lease!: Lease;
  private roundFailed = false;
  /** The latest time a rate-limit answer in this flatten asked it to wait until. */
  private retryAfterUntil = 0;

  constructor(
    private readonly options: FlattenerOptions,
    private readonly id: string,
    reason: string,
    private readonly publish: (report: FlattenReport) => void,
  ) {
    this.maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.report = { id, reason, startedAt: options.now(), finishedAt: null, attempts: 0, flat: false, symbols: [], remaining: [], journalFailure: null };
  }

  async execute(): Promise<FlattenReport> {
    this.note('flatten.start', { id: this.id, reason: this.report.reason });
    this.lease = this.options.lock.seize(`flatten ${this.id}`);
    let surveyError: string | null = null;
    try {
      this.halt();
      this.emit();
      surveyError = await this.options.adapter.withoutThrottle(() => this.rounds());
    } catch (error) {
      surveyError = describeError(error);
    } finally {
      try {
        this.finish(surveyError);
      } finally {
        this.lease.release();
      }
    }
    return structuredClone(this.report);
  }

  /** Journals one step; when the journal cannot take it, the flatten goes on and its report says so. */
  private note(type: string, data: unknown): void {
    try {
      this.options.journal.record(type, data);
    } catch (error) {
      if (this.report.journalFailure) return;
      this.report.journalFailure = `The journal could not record this flatten (${describeError(error)}); every cancel and close was still sent`;
    }
  }

  /** Acts on the last report, then looks and acts until flat or out of rounds; returns the last survey error. */
  private async rounds(): Promise<string | null> {
    let surveyError: string | null = null;
    const reported = this.lastReported();
    if (reported.size) {
      await this.act(reported, 0, 'last exchange report');
      if (this.roundFailed) await this.pause(0);
    }
    for (let round = 1; ; round++) {
      let holdings: Map<string, Holding> | null = null;
      try {
        holdings = await this.survey();
        surveyError = null;
      } catch (error) {
        surveyError = describeError(error);
        this.noteRetryAfter(error);
        this.note('flatten.error', { id: this.id, round, op: 'look at the account', error: surveyError });
      }
      if (holdings?.size === 0) {
        if (await this.stragglersLanded(round)) continue;
        this.report.flat = true;
        break;
      }
      if (round > this.maxRounds) break;
      this.roundFailed = !holdings;
      if (holdings) await this.act(holdings, round, 'exchange (REST)');
      if (this.roundFailed) await this.pause(round);
    }
    return surveyError;
  }

  /** The pause after a round with failures: short, or until the latest time a `Retry-After` asked for (bounded); journalled. */
  private async pause(round: number): Promise<void> {
    const { options } = this;
    const pauseMs = options.pauseMs?.(round) ?? Math.min(500, 100 * round);
    const askedMs = Math.min(this.retryAfterUntil - options.now(), options.maxRetryAfterPauseMs ?? DEFAULT_MAX_RETRY_AFTER_PAUSE_MS);
    const ms = Math.max(pauseMs, askedMs);
    this.note('flatten.pause', { id: this.id, round, ms, becauseOfRetryAfter: askedMs > pauseMs });
    await (options.sleep ?? realSleep)(ms);
  }

  private noteRetryAfter(error: unknown): void {
    if (!(error instanceof TemporaryExchangeError || error instanceof RateLimitBanError) || error.retryAfterMs === null) return;
    this.retryAfterUntil = Math.max(this.retryAfterUntil, this.options.now() + error.retryAfterMs);
  }

  /** Before calling the account flat: waits for orders pre-empted work had in flight, and says whether to look again. */
  private async stragglersLanded(round: number): Promise<boolean> {
    const waitedFor = await this.options.lock.settlePreempted(STRAGGLER_WAIT_MS);
    if (waitedFor > 0) this.note('flatten.stragglers', { id: this.id, round, preempted: waitedFor });
    return waitedFor > 0;
  }

  private halt(): void {
    const fail = (error: unknown) => this.note('flatten.halt.failed', { id: this.id, error: describeError(error) });
    try {
      const result = this.options.halt?.(this.report.reason);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }

  private lastReported(): Map<string, Holding> {
    let reported: LastReported;
    try {
      reported = this.options.lastReported?.() ?? { positions: [], orders: [] };
    } catch {
      return new Map();
    }
    return group(reported.positions, reported.orders);
  }

  /** Positions and open orders as the exchange reports them now, over REST, grouped by symbol. */
  private async survey(): Promise<Map<string, Holding>> {
    const [positions, orders] = await Promise.all([
      this.request('fetch positions', null, () => this.options.adapter.fetchPositions()),
      this.request('fetch open orders', null, () => this.options.adapter.fetchOpenOrders()),
    ]);
    const holdings = group(positions, orders);
    for (const [symbol, p] of this.progress) if (!holdings.has(symbol)) Object.assign(p, { status: 'flat', remainingContracts: 0, remainingOrders: 0 });
    for (const h of holdings.values()) Object.assign(this.symbol(h.symbol), { status: 'working', remainingContracts: h.position?.contracts ?? 0, remainingOrders: h.orders.length });
    this.emit();
    return holdings;
  }

  /** One round: every cancel and close planned and journalled at once, then sent at once. */
  private async act(holdings: Map<string, Holding>, round: number, source: string): Promise<void> {
    this.report.attempts += 1;
    const cancels = [...holdings.values()].filter((h) => h.orders.length > 0);
    const { closes, unclosable } = await this.planCloses([...holdings.values()], round);
    for (const h of holdings.values()) {
      const p = this.symbol(h.symbol);
      p.lastError = null;
      if (round === 0) p.status = 'working';
    }
    this.note('flatten.round', {
      id: this.id,
      round,
      source,
      found: [...holdings.values()].map((h) => ({ symbol: h.symbol, side: h.position?.side ?? null, contracts: h.position?.contracts ?? 0, orders: h.orders.length })),
      cancels: cancels.map((h) => (h.orders.length > CANCEL_ONE_BY_ONE_UP_TO ? { symbol: h.symbol, all: true } : { symbol: h.symbol, orders: h.orders.map((o) => o.id) })),
      orders: closes.map((c) => c.request),
    });
    for (const { symbol, error } of unclosable) this.failed(symbol, round, 'close position', error);
    this.emit();
    const [cancelled, closed] = await Promise.all([
      Promise.all(cancels.map((holding) => this.cancel(holding, round))),
      Promise.all(closes.map((close) => this.close(close, round))),
    ]);
    this.note('flatten.round.result', { id: this.id, round, cancels: cancelled, orders: closed });
    this.emit();
  }

  private async planCloses(holdings: Holding[], round: number): Promise<{ closes: PlannedClose[]; unclosable: Array<{ symbol: string; error: unknown }> }> {
    const closes: PlannedClose[] = [];
    const unclosable: Array<{ symbol: string; error: unknown }> = [];
    await Promise.all(
      holdings.map(async ({ symbol, position }) => {
        if (!position) return;
        try {
          const chunks = closeChunks(position.contracts, await this.market(symbol));
          if (!chunks.length) throw new Error(`${position.contracts} is below the market's minimum order size: close it on the exchange`);
          chunks.forEach((amount, chunk) =>
            closes.push({
              symbol,
              request: {
                symbol,
                side: closingSide(position.side),
                type: 'market',
                amount,
                reduceOnly: true,
                clientOrderId: clientOrderId(this.operation(symbol), 'close', round * 1000 + chunk + 1, this.options.adapter.capabilities),
              },
            }),
          );
        } catch (error) {
          unclosable.push({ symbol, error });
        }
      }),
    );
    return { closes, unclosable };
  }

  private async cancel({ symbol, orders }: Holding, round: number): Promise<{ symbol: string; cancelled: number; error?: string }> {
    const { adapter } = this.options;
    let cancelled = 0;
    try {
      if (orders.length > CANCEL_ONE_BY_ONE_UP_TO) {
        cancelled = await this.request('cancel orders', symbol, () => adapter.cancelAllOrders(symbol));
      } else {
        const results = await Promise.allSettled(orders.map((order) => this.request('cancel order', symbol, () => adapter.cancelOrder(order))));
        const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected' && !(r.reason instanceof OrderNotFoundError));
        cancelled = results.filter((r) => r.status === 'fulfilled').length;
        if (failure) throw failure.reason;
      }
      return { symbol, cancelled };
    } catch (error) {
      this.failed(symbol, round, 'cancel orders', error);
      return { symbol, cancelled, error: describeError(error) };
    } finally {
      this.symbol(symbol).ordersCancelled += cancelled;
    }
  }

  private async close({ symbol, request }: PlannedClose, round: number): Promise<Record<string, unknown>> {
    const { adapter } = this.options;
    try {
      const order = await sendOrder(adapter, request, {
        policy: this.retry,
        beforeAttempt: () => this.lease.assertHeld(),
        beforeSend: (sent, attempt) => {
          if (attempt > 1) this.note('flatten.order.resend', { id: this.id, round, attempt, request: sent });
        },
        onRetry: (error, attempt) => this.note('flatten.retry', { id: this.id, op: 'close position', symbol, attempt, error: describeError(error) }),
      });
      this.symbol(symbol).closedContracts += order.filled;
      return { clientOrderId: request.clientOrderId, orderId: order.id, status: order.status, filled: order.filled, averagePrice: order.averagePrice };
    } catch (error) {
      this.failed(symbol, round, 'close position', error);
      return { clientOrderId: request.clientOrderId, error: describeError(error) };
    }
  }

  private async market(symbol: string): Promise<MarketInfo> {
    const { adapter } = this.options;
    try {
      return adapter.market(symbol);
    } catch {
      await this.request('load markets', symbol, () => adapter.loadMarkets());
      return adapter.market(symbol);
    }
  }

  /** One exchange request under the flatten's lease, retried on temporary errors, each retry journalled. */
  private request<T>(op: string, symbol: string | null, call: () => Promise<T>): Promise<T> {
    return withRetry(call, {
      policy: this.retry,
      beforeAttempt: () => this.lease.assertHeld(),
      onRetry: (error, attempt) => this.note('flatten.retry', { id: this.id, op, symbol, attempt, error: describeError(error) }),
    });
  }

  private failed(symbol: string, round: number, op: string, error: unknown): void {
    const p = this.symbol(symbol);
    const text = `round ${round}: ${op} failed: ${describeError(error)}`;
    p.lastError = text;
    p.errors.push(text);
    this.roundFailed = true;
    this.noteRetryAfter(error);
  }

  /** A per-symbol operation id, the same for every request about that symbol in this flatten. */
  private operation(symbol: string): string {
    const index = this.symbolIndex.get(symbol) ?? this.symbolIndex.set(symbol, this.symbolIndex.size).get(symbol)!;
    return `${this.id}${index.toString(36).padStart(2, '0')}`;
  }

  private symbol(symbol: string): Progress {
    let p = this.progress.get(symbol);
    if (!p) {
      p = { symbol, status: 'pending', ordersCancelled: 0, closedContracts: 0, remainingContracts: 0, remainingOrders: 0, errors: [], lastError: null };
      this.progress.set(symbol, p);
    }
    return p;
  }

  private finish(surveyError: string | null): void {
    const report = this.report;
    report.finishedAt = this.options.now();
    for (const p of this.progress.values()) if (!report.flat && p.status !== 'flat') p.status = 'failed';
    report.remaining = report.flat ? [] : this.remaining(surveyError);
    this.note('flatten.end', structuredClone(report));
    this.emit();
  }

  private remaining(surveyError: string | null): string[] {
    const lines: string[] = [];
    if (surveyError) lines.push(`Could not confirm the account is flat: positions and open orders could not be fetched (${surveyError})`);
    for (const p of this.progress.values()) {
      if (p.status === 'flat') continue;
      const why = p.lastError ?? (surveyError ? 'not confirmed' : 'the exchange still reports it after the last round');
      lines.push(`${p.symbol}: ${p.remainingContracts} contracts and ${p.remainingOrders} open orders remain after ${this.report.attempts} rounds (${why})`);
    }
    return lines;
  }

  /** Publishes the report; a listener that throws never stops the flatten (its report still comes back to the caller). */
  private emit(): void {
    this.report.symbols = [...this.progress.values()].map(({ lastError: _lastError, ...p }) => ({ ...p, errors: [...p.errors] }));
    try {
      this.publish(this.report);
    } catch (error) {
      console.error(`flatten ${this.id}: a report listener failed (${describeError(error)})`);
    }
  }
}

function group(positions: readonly ExchangePosition[], orders: readonly Order[]): Map<string, Holding> {
  const holdings = new Map<string, Holding>();
  const holding = (symbol: string) => holdings.get(symbol) ?? holdings.set(symbol, { symbol, position: null, orders: [] }).get(symbol)!;
  for (const position of positions) if (position.contracts > 0) holding(position.symbol).position = position;
  for (const order of orders) holding(order.symbol).orders.push(order);
  return holdings;
}
