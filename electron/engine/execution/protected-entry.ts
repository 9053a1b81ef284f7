import type { Order, Side } from '../../../shared/domain';
import type { OrderRequest } from '../exchange/adapter';
import { clientOrderId } from '../exchange/client-order-id';
import type { Lease } from '../execution-lock';
import { cancelOrder, placeOrder, read, type ExecutionDeps } from './order-desk';
import { closingSide, openingSide } from './order-sides';
import { describeError } from '../../../shared/error-message';
import { recordOrCarryOn } from '../journal';

export interface EntryOrder {
  /** The operation whose client order ids this entry uses (the proposal's). */
  operation: string;
  proposalId: string;
  symbol: string;
  side: Side;
  quantity: number;
  leverage: number;
  stop: number;
  takeProfit: number;
}

export type EntryOutcome =
  | { status: 'protected'; filled: number; entry: Order; stop: Order; takeProfit: Order | null }
  | { status: 'failed'; filled: number; reason: string };

const isWorking = (order: Order) => order.status === 'open' || order.status === 'partially_filled';
const isDead = (order: Order) => order.status === 'canceled' || order.status === 'expired' || order.status === 'rejected';
/** Look-ups for a market entry that came back not yet filled. */
const FILL_CHECKS = 5;

/**
 * Opens a position and protects it: margin mode and leverage, the market
 * entry, then at once the stop-loss and the take-profit as reduce-only
 * conditional orders triggered by the mark price, for the filled amount.
 * If the stop cannot be placed after retries the position is closed again,
 * journalled and alerted: a position is never left without a stop. Once the
 * entry is sent, no failed local write (journal, execution ledger) stops what
 * follows: it is reported, and the stop (or the close) still goes out.
 */
export async function openProtected(deps: ExecutionDeps, lease: Lease, entry: EntryOrder): Promise<EntryOutcome> {
  const caps = deps.adapter.capabilities;
  const { symbol, side, operation } = entry;
  const context = { proposalId: entry.proposalId, symbol };
  const settings = deps.settings();

  deps.journal.record('execution.prepare', { ...context, marginMode: settings.risk.marginMode, leverage: entry.leverage });
  await read(deps, lease, () => deps.adapter.setMarginMode(symbol, settings.risk.marginMode));
  await read(deps, lease, () => deps.adapter.setLeverage(symbol, entry.leverage));

  const amount = deps.adapter.amountToPrecision(symbol, entry.quantity);
  if (!(amount > 0)) return { status: 'failed', filled: 0, reason: `Quantity ${entry.quantity} rounds to nothing on ${symbol}` };

  deps.ledger.put({ operation, proposalId: entry.proposalId, symbol, side, stop: entry.stop, takeProfit: entry.takeProfit, stage: 'entry', updatedAt: deps.now() }, 'required');
  deps.book.setOrigin(symbol, 'bot');
  const entryRequest: OrderRequest = { symbol, side: openingSide(side), type: 'market', amount, reduceOnly: false, clientOrderId: clientOrderId(operation, 'entry', 1, caps) };
  let entryOrder = await placeOrder(deps, lease, entryRequest, { ...context, purpose: 'entry' });
  for (let check = 0; isWorking(entryOrder) && check < FILL_CHECKS; check++) {
    const found = await read(deps, lease, () => deps.adapter.fetchOrderByClientId(symbol, entryRequest.clientOrderId));
    if (found) entryOrder = found;
  }
  if (isWorking(entryOrder)) entryOrder = await stopWorkingEntry(deps, lease, entryOrder, context);
  const filled = deps.adapter.amountToPrecision(symbol, entryOrder.filled);
  if (!(filled > 0)) {
    if (!isWorking(entryOrder)) {
      deps.ledger.remove(symbol);
      deps.book.forgetPendingOrigin(symbol);
    }
    return { status: 'failed', filled: 0, reason: `The entry order ${entryRequest.clientOrderId} did not fill (${entryOrder.status})` };
  }
  deps.ledger.put({ ...deps.ledger.get(symbol)!, stage: 'protecting', updatedAt: deps.now() });

  const stop = await placeStop(deps, lease, { ...context, operation, symbol, side, amount: filled, price: entry.stop, generation: 1 });
  if (!stop.ok) {
    await emergencyClose(deps, lease, { ...context, operation, symbol, side, amount: filled }, stop.reason);
    return { status: 'failed', filled, reason: `The stop-loss could not be placed (${stop.reason}); the position was closed again` };
  }
  deps.ledger.put({ ...deps.ledger.get(symbol)!, stage: 'protected', updatedAt: deps.now() });

  const takeProfit = await placeTakeProfit(deps, lease, { ...context, operation, symbol, side, amount: filled, price: entry.takeProfit, generation: 1 });
  return { status: 'protected', filled, entry: entryOrder, stop: stop.order, takeProfit };
}

/**
 * An entry still working after the fill checks is cancelled, so nothing more can
 * fill without a stop, and then read once more for its final filled amount.
 */
async function stopWorkingEntry(deps: ExecutionDeps, lease: Lease, entry: Order, context: Record<string, unknown>): Promise<Order> {
  try {
    await cancelOrder(deps, lease, entry, 'entry still working after the fill checks');
  } catch (error) {
    lease.assertHeld();
    deps.notify('critical', `Entry on ${entry.symbol} still working`, `The entry order ${entry.clientOrderId} could not be cancelled (${describeError(error)}). Cancel it on the exchange; any fill needs a stop-loss.`);
  }
  const settled = await read(deps, lease, () => deps.adapter.fetchOrderByClientId(entry.symbol, entry.clientOrderId));
  recordOrCarryOn(deps.journal, 'execution.entry.settled', { ...context, clientOrderId: entry.clientOrderId, status: settled?.status ?? null, filled: settled?.filled ?? null });
  return settled ?? entry;
}

export interface ProtectiveOrder {
  proposalId?: string;
  operation: string;
  symbol: string;
  side: Side;
  amount: number;
  price: number;
  generation: number;
}

/** Places a reduce-only stop-loss on the mark price. Never throws for an exchange failure: the caller decides what follows. */
export async function placeStop(deps: ExecutionDeps, lease: Lease, p: ProtectiveOrder): Promise<{ ok: true; order: Order } | { ok: false; reason: string }> {
  try {
    const order = await placeOrder(deps, lease, protectiveRequest(deps, p, 'stop'), { proposalId: p.proposalId, symbol: p.symbol, purpose: 'stop' });
    if (isDead(order)) return { ok: false, reason: `the exchange reports the stop ${order.clientOrderId} as ${order.status}` };
    return { ok: true, order };
  } catch (error) {
    lease.assertHeld();
    return { ok: false, reason: describeError(error) };
  }
}

/** Places the take-profit; a failure leaves the position under its stop and raises a warning. */
export async function placeTakeProfit(deps: ExecutionDeps, lease: Lease, p: ProtectiveOrder): Promise<Order | null> {
  let problem: string;
  try {
    const order = await placeOrder(deps, lease, protectiveRequest(deps, p, 'take-profit'), { proposalId: p.proposalId, symbol: p.symbol, purpose: 'take-profit' });
    if (!isDead(order)) return order;
    problem = `the exchange reports it as ${order.status}`;
  } catch (error) {
    lease.assertHeld();
    problem = describeError(error);
  }
  deps.notify('warning', `No take-profit on ${p.symbol}`, `The take-profit at ${p.price} could not be placed (${problem}). The stop-loss protects the position; set the take-profit again from the position panel.`);
  return null;
}

function protectiveRequest(deps: ExecutionDeps, p: ProtectiveOrder, purpose: 'stop' | 'take-profit'): OrderRequest {
  return {
    symbol: p.symbol,
    side: closingSide(p.side),
    type: purpose === 'stop' ? 'stop_market' : 'take_profit_market',
    amount: p.amount,
    triggerPrice: deps.adapter.priceToPrecision(p.symbol, p.price),
    triggerBy: 'mark',
    reduceOnly: true,
    clientOrderId: clientOrderId(p.operation, purpose, p.generation, deps.adapter.capabilities),
  };
}

/**
 * Closes a position that could not be protected: journalled first, a critical
 * alert raised, then a reduce-only market close retried with the same id.
 */
export async function emergencyClose(
  deps: ExecutionDeps,
  lease: Lease,
  p: { proposalId?: string; operation: string; symbol: string; side: Side; amount: number },
  why: string,
): Promise<void> {
  recordOrCarryOn(deps.journal, 'protection.failed', { proposalId: p.proposalId, symbol: p.symbol, amount: p.amount, reason: why, action: 'close' });
  deps.notify('critical', `Stop-loss failed on ${p.symbol}: closing`, `The stop-loss could not be placed (${why}). The position of ${p.amount} is being closed with a reduce-only market order.`);
  const request: OrderRequest = { symbol: p.symbol, side: closingSide(p.side), type: 'market', amount: p.amount, reduceOnly: true, clientOrderId: clientOrderId(p.operation, 'close', 1, deps.adapter.capabilities) };
  try {
    await placeOrder(deps, lease, request, { proposalId: p.proposalId, symbol: p.symbol, purpose: 'close' });
    deps.ledger.remove(p.symbol);
  } catch (error) {
    deps.notify('critical', `Could not close unprotected ${p.symbol}`, `The emergency close failed (${describeError(error)}). Flatten now or close it on the exchange.`);
    throw error;
  }
}
