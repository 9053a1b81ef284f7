import type { NotificationLevel, Order } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import type { AccountBook } from '../account/account-book';
import type { ExchangeAdapter, OrderRequest } from '../exchange/adapter';
import { withPurpose } from '../exchange/client-order-id';
import { OrderNotFoundError } from '../exchange/errors';
import { sendOrder, withRetry, type RetryOptions } from '../exchange/retry';
import type { ExecutionLock, Lease } from '../execution-lock';
import { recordOrCarryOn, type Journal } from '../journal';
import type { ExecutionLedger } from './execution-ledger';
import { describeError } from '../../../shared/error-message';

/** What the execution steps reach. */
export interface ExecutionDeps {
  adapter: ExchangeAdapter;
  lock: ExecutionLock;
  journal: Pick<Journal, 'record'>;
  book: AccountBook;
  ledger: ExecutionLedger;
  settings: () => Settings;
  now: () => number;
  notify: (level: NotificationLevel, title: string, message: string) => void;
  newOperationId: () => string;
  /** Rebuilds the account view from the exchange (REST). */
  refresh: (reason: string) => Promise<void>;
  retry?: Pick<RetryOptions, 'policy' | 'sleep'>;
}

/**
 * Sends one order under a lease: the lease is checked before every request,
 * each send is journalled before it happens and its outcome after, and retries
 * never double the order (see {@link sendOrder}). Only an entry needs its journal
 * entry to go: a reduce-only order (a close, a stop, a take-profit) goes out even
 * when the journal cannot be written, and once an order is sent, no failed write
 * hides its answer from the caller. The lease counts as busy while a
 * request is out, or a lost send may still land; not while it waits out a `Retry-After`.
 */
export async function placeOrder(deps: ExecutionDeps, lease: Lease, request: OrderRequest, context: Record<string, unknown> = {}): Promise<Order> {
  try {
    const sent = await sendOrder(deps.adapter, request, {
      ...deps.retry,
      track: (call) => lease.track(call),
      beforeAttempt: () => lease.assertHeld(),
      beforeSend: (req, attempt) => {
        const entry = { ...context, attempt, request: req };
        if (req.reduceOnly) recordOrCarryOn(deps.journal, 'order.request', entry);
        else deps.journal.record('order.request', entry);
      },
      beforeSettle: (waitMs) => recordOrCarryOn(deps.journal, 'order.unknown', { ...context, clientOrderId: request.clientOrderId, waitMs }),
      onRetry: (error, attempt) => recordOrCarryOn(deps.journal, 'order.retry', { clientOrderId: request.clientOrderId, attempt, error: error.message }),
    });
    const order = withPurpose(sent);
    recordOrCarryOn(deps.journal, 'order.response', { ...context, order });
    deps.book.applyOrder(order);
    return order;
  } catch (error) {
    recordOrCarryOn(deps.journal, 'order.error', { ...context, clientOrderId: request.clientOrderId, error: describeError(error) });
    throw error;
  }
}

/** Cancels one order under a lease; an order already gone counts as cancelled. Returns false when it was gone. Goes out even when the journal cannot be written. */
export async function cancelOrder(deps: ExecutionDeps, lease: Lease, order: Order, reason: string): Promise<boolean> {
  recordOrCarryOn(deps.journal, 'order.cancel.request', { id: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, reason });
  try {
    await withRetry(() => deps.adapter.cancelOrder(order), { ...deps.retry, beforeAttempt: () => lease.assertHeld() });
    recordOrCarryOn(deps.journal, 'order.cancel.response', { id: order.id, clientOrderId: order.clientOrderId, cancelled: true });
    deps.book.applyOrder({ ...order, status: 'canceled' });
    return true;
  } catch (error) {
    if (error instanceof OrderNotFoundError) {
      recordOrCarryOn(deps.journal, 'order.cancel.response', { id: order.id, clientOrderId: order.clientOrderId, cancelled: false, note: 'already gone' });
      deps.book.applyOrder({ ...order, status: 'canceled' });
      return false;
    }
    recordOrCarryOn(deps.journal, 'order.error', { clientOrderId: order.clientOrderId, action: 'cancel', error: describeError(error) });
    throw error;
  }
}

/** A REST read under a lease, retried. */
export function read<T>(deps: ExecutionDeps, lease: Lease, call: () => Promise<T>): Promise<T> {
  return withRetry(call, { ...deps.retry, beforeAttempt: () => lease.assertHeld() });
}

