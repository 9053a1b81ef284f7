import type { AccountBook, ReconcileDiff } from './account/account-book';
import type { ExchangeAdapter } from './exchange/adapter';
import { parseClientOrderId } from './exchange/client-order-id';
import { withRetry, type RetryOptions } from './exchange/retry';
import type { ExecutionLedger } from './execution/execution-ledger';
import { recordOrCarryOn, type Journal } from './journal';
import type { NotificationLevel } from '../../shared/domain';

export interface ReconcileDeps {
  adapter: ExchangeAdapter;
  book: AccountBook;
  ledger: ExecutionLedger;
  journal: Pick<Journal, 'record'>;
  notify: (level: NotificationLevel, title: string, message: string) => void;
  /** Symbols with an execution in flight: their protection is still being placed. */
  executing: ReadonlySet<string>;
  retry?: Pick<RetryOptions, 'policy' | 'sleep'>;
}

export interface ReconcileReport {
  reason: string;
  diff: ReconcileDiff;
  adoptedManual: string[];
  unprotected: string[];
}

/**
 * Rebuilds the engine's view from the exchange's REST answers: balance,
 * positions and every open order (conditional ones included). Positions the
 * bot did not open are adopted as manual; any position without a stop is
 * flagged (once, until it has one). Differences are journalled when the
 * journal can take them; the view follows the exchange either way.
 */
export class Reconciler {
  private running: Promise<ReconcileReport> | null = null;
  private readonly flagged = new Set<string>();

  constructor(private readonly deps: ReconcileDeps) {}

  /** Runs one reconciliation; a call during a run queues one more run after it. */
  reconcile(reason: string): Promise<ReconcileReport> {
    if (this.running) {
      return this.running.then(() => this.reconcile(reason));
    }
    this.running = this.run(reason).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(reason: string): Promise<ReconcileReport> {
    const { adapter, book, ledger, journal } = this.deps;
    const retry = this.deps.retry ?? {};
    const [balance, positions, orders] = await Promise.all([
      withRetry(() => adapter.fetchBalance(), retry),
      withRetry(() => adapter.fetchPositions(), retry),
      withRetry(() => adapter.fetchOpenOrders(), retry),
    ]);
    const diff = book.replace({ balance, positions, orders });
    const adoptedManual: string[] = [];
    for (const p of positions) {
      const ours = ledger.get(p.symbol)?.side === p.side || orders.some((o) => o.symbol === p.symbol && parseClientOrderId(o.clientOrderId) !== null);
      const before = book.origin(p.symbol);
      book.setOrigin(p.symbol, ours ? 'bot' : (before ?? 'manual'));
      if (!ours && !before) adoptedManual.push(p.symbol);
    }
    for (const symbol of ledger.all().map((r) => r.symbol)) {
      if (!positions.some((p) => p.symbol === symbol) && !this.deps.executing.has(symbol)) ledger.remove(symbol);
    }
    const unprotected = positions.filter((p) => !this.deps.executing.has(p.symbol) && book.protection(p.symbol).stop === null).map((p) => p.symbol);
    const changed = diff.adopted.length + diff.vanished.length + diff.resized.length + diff.ordersAdded.length + diff.ordersRemoved.length > 0;
    if (changed || reason !== 'periodic') recordOrCarryOn(journal, 'reconcile', { reason, diff, adoptedManual, unprotected });
    for (const symbol of adoptedManual) {
      recordOrCarryOn(journal, 'position.adopted', { symbol, origin: 'manual' });
      this.deps.notify('info', `Adopted ${symbol}`, `A ${symbol} position the bot did not open was found on the exchange; it is shown as manual.`);
    }
    for (const symbol of unprotected) {
      if (this.flagged.has(symbol)) continue;
      this.flagged.add(symbol);
      recordOrCarryOn(journal, 'position.unprotected', { symbol });
      this.deps.notify('warning', `${symbol} has no stop-loss`, `The ${symbol} position has no stop-loss on the exchange. Set one from the position panel, or close it.`);
    }
    for (const symbol of [...this.flagged]) if (!unprotected.includes(symbol)) this.flagged.delete(symbol);
    return { reason, diff, adoptedManual, unprotected };
  }
}
