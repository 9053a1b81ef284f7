import type { Order } from '../../../shared/domain';
import { liquidationBufferViolation } from '../../../shared/risk/pre-trade-check';
import { roundToTick } from '../../../shared/risk/precision';
import type { ExchangePosition, OrderRequest } from '../exchange/adapter';
import { clientOrderId, parseClientOrderId, withPurpose } from '../exchange/client-order-id';
import { OrderNotFoundError, OrderRejectedError } from '../exchange/errors';
import type { Lease } from '../execution-lock';
import { CommandError } from '../errors';
import type { ExecutionRecord } from './execution-ledger';
import { cancelOrder, placeOrder, read, type ExecutionDeps } from './order-desk';
import { closingSide } from './order-sides';
import { emergencyClose, placeStop, placeTakeProfit } from './protected-entry';
import { describeError } from '../../../shared/error-message';
import { recordOrCarryOn } from '../journal';

/** Rounds of close-and-check before a close gives up. */
const CLOSE_ROUNDS = 3;
/** The wait before reading a position again that does not show fills its orders reported (times the round). */
const LAGGING_READ_PAUSE_MS = 250;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function livePosition(deps: ExecutionDeps, lease: Lease, symbol: string): Promise<ExchangePosition | null> {
  const positions = await read(deps, lease, () => deps.adapter.fetchPositions());
  deps.book.applyPositions(positions);
  return positions.find((p) => p.symbol === symbol) ?? null;
}

async function liveOrders(deps: ExecutionDeps, lease: Lease, symbol: string): Promise<Order[]> {
  const orders = (await read(deps, lease, () => deps.adapter.fetchOpenOrders(symbol))).map(withPurpose);
  for (const stale of deps.book.openOrders(symbol)) if (!orders.some((o) => o.id === stale.id)) deps.book.applyOrder({ ...stale, status: 'canceled' });
  for (const o of orders) deps.book.applyOrder(o);
  return orders;
}

/** A close order a cut has sent, and what is known of its fill. */
interface SentClose {
  clientOrderId: string;
  amount: number;
  filled: number;
  /** The exchange reports it done (filled, cancelled, expired): it will fill no more. */
  done: boolean;
}

const isDone = (order: Order) => order.status !== 'open' && order.status !== 'partially_filled';

/**
 * Sends reduce-only market orders for `amount` (split by the market's largest
 * market order) and checks the exchange until that much is gone. Returns the
 * contracts closed.
 *
 * A cut (anything short of a full close) never sends more than `amount` in
 * total: an order the exchange has not reported done counts in full, since it
 * may still fill, and is looked up again before each new round. So when the
 * position read lags the fills, the round waits and reads again instead of
 * cutting twice; only what an order left unfilled once done is sent again. A
 * full close sends whatever the exchange still reports (reduce-only orders
 * cannot overshoot, and a position that grew meanwhile still goes).
 */
async function reduceBy(deps: ExecutionDeps, lease: Lease, position: ExchangePosition, amount: number, operation: string, reason: string): Promise<number> {
  const { symbol } = position;
  const market = deps.adapter.market(symbol);
  const target = Math.max(0, position.contracts - amount);
  const cut = target > 0;
  const sent: SentClose[] = [];
  let current = position;
  let generation = 1;
  for (let round = 0; round < CLOSE_ROUNDS && current.contracts > target + market.amountStep / 2; round++) {
    const wanted = deps.adapter.amountToPrecision(symbol, current.contracts - target);
    if (!(wanted > 0)) break;
    if (cut) await lookUpUnfinished(deps, lease, symbol, sent);
    const committed = sent.reduce((sum, s) => sum + (s.done ? s.filled : Math.max(s.filled, s.amount)), 0);
    let remaining = cut ? deps.adapter.amountToPrecision(symbol, Math.min(wanted, amount - committed)) : wanted;
    if (!(remaining > 0)) {
      recordOrCarryOn(deps.journal, 'position.read.lagging', { symbol, reason, committed, reported: current.contracts, expected: target, round });
      await (deps.retry?.sleep ?? realSleep)(LAGGING_READ_PAUSE_MS * round);
    }
    while (remaining > 0) {
      const chunk = deps.adapter.amountToPrecision(symbol, Math.min(remaining, market.maxMarketAmount));
      if (!(chunk > 0)) break;
      const request: OrderRequest = { symbol, side: closingSide(position.side), type: 'market', amount: chunk, reduceOnly: true, clientOrderId: clientOrderId(operation, 'close', generation++, deps.adapter.capabilities) };
      const order = await placeOrder(deps, lease, request, { symbol, purpose: 'close', reason });
      sent.push({ clientOrderId: request.clientOrderId, amount: chunk, filled: order.filled, done: isDone(order) });
      remaining = deps.adapter.amountToPrecision(symbol, remaining - chunk);
    }
    const after = await livePosition(deps, lease, symbol);
    if (!after || after.side !== position.side) return position.contracts;
    current = after;
  }
  return position.contracts - current.contracts;
}

/** Asks the exchange how far each sent close not yet reported done has filled (many answer an order before it matches). */
async function lookUpUnfinished(deps: ExecutionDeps, lease: Lease, symbol: string, sent: SentClose[]): Promise<void> {
  for (const s of sent.filter((x) => !x.done)) {
    const found = await read(deps, lease, () => deps.adapter.fetchOrderByClientId(symbol, s.clientOrderId)).catch((error: unknown) => {
      recordOrCarryOn(deps.journal, 'order.lookup.error', { symbol, clientOrderId: s.clientOrderId, error: describeError(error) });
      return null;
    });
    if (!found) continue;
    s.filled = Math.max(s.filled, found.filled);
    s.done = isDone(found);
  }
}

/**
 * The first close order goes out at once, for the size the account streams last reported: a breaker's
 * close must not wait a REST round trip. It is reduce-only, so a stale size cannot overshoot, and every
 * later round reads the exchange. Only when the exchange refuses it (the position the streams showed is
 * already gone or turned) is the position read first, and closed under a new operation id.
 */
async function closeAsReported(deps: ExecutionDeps, lease: Lease, symbol: string, reason: string): Promise<{ position: ExchangePosition | null; closed: number }> {
  const reported = deps.book.exchangePosition(symbol);
  if (reported && reported.contracts > 0) {
    try {
      return { position: reported, closed: await reduceBy(deps, lease, reported, reported.contracts, deps.newOperationId(), reason) };
    } catch (error) {
      if (!(error instanceof OrderRejectedError)) throw error;
      recordOrCarryOn(deps.journal, 'position.close.reread', { symbol, reason, reported: reported.contracts, error: describeError(error) });
    }
  }
  const position = await livePosition(deps, lease, symbol);
  return { position, closed: position ? await reduceBy(deps, lease, position, position.contracts, deps.newOperationId(), reason) : 0 };
}

/** Closes one position: reduce-only market close of the size the exchange reports, then its protective orders are cancelled. */
export async function closePosition(deps: ExecutionDeps, symbol: string, reason: string): Promise<number> {
  return deps.lock.run(`close:${symbol}`, async (lease) => {
    recordOrCarryOn(deps.journal, 'position.close', { symbol, reason });
    const { position, closed } = await closeAsReported(deps, lease, symbol, reason);
    const still = position ? await livePosition(deps, lease, symbol) : null;
    if (still) throw new CommandError('exchange', `${symbol} is not flat yet: ${still.contracts} remain after ${closed} were closed`);
    for (const order of await liveOrders(deps, lease, symbol)) {
      if (order.reduceOnly || order.closePosition) await cancelOrder(deps, lease, order, `position closed: ${reason}`);
    }
    deps.ledger.remove(symbol);
    return closed;
  });
}

/** Cuts a position by a fraction with a reduce-only market order (the margin-ratio breaker uses this). */
export async function reducePosition(deps: ExecutionDeps, symbol: string, fraction: number, reason: string): Promise<number> {
  if (!(fraction > 0 && fraction <= 1)) throw new CommandError('invalid-input', `The fraction to reduce must be in (0, 1], got ${fraction}`);
  return deps.lock.run(`reduce:${symbol}`, async (lease) => {
    recordOrCarryOn(deps.journal, 'position.reduce', { symbol, fraction, reason });
    const position = await livePosition(deps, lease, symbol);
    if (!position) return 0;
    const amount = deps.adapter.amountToPrecision(symbol, position.contracts * fraction);
    if (!(amount > 0)) return 0;
    const cut = await reduceBy(deps, lease, position, amount, deps.newOperationId(), reason);
    if (cut < amount - deps.adapter.market(symbol).amountStep / 2) {
      recordOrCarryOn(deps.journal, 'position.reduce.short', { symbol, asked: amount, cut, reason });
      deps.notify('warning', `${symbol} was cut by less than asked`, `Asked to cut ${amount}, the exchange shows ${cut} gone (${reason}). Check the position.`);
    }
    if (cut > 0) await shrinkProtection(deps, lease, symbol);
    return roundToTick(cut, deps.adapter.market(symbol).amountStep);
  });
}

/**
 * After a cut: each of the cockpit's stop-loss and take-profit orders larger than what is left of the
 * position is replaced by one of the position's size at the same trigger (new first, then the old
 * cancelled), so a protective order never exceeds the position. One that cannot be replaced stays
 * (it is reduce-only, so it still protects the whole position) and the user is warned.
 */
async function shrinkProtection(deps: ExecutionDeps, lease: Lease, symbol: string): Promise<void> {
  const position = await livePosition(deps, lease, symbol);
  if (!position) return;
  const orders = await liveOrders(deps, lease, symbol);
  const step = deps.adapter.market(symbol).amountStep;
  for (const purpose of ['stop', 'take-profit'] as const) {
    const current = protectiveOrders(orders, position, purpose);
    const newest = current[0];
    if (!newest || newest.triggerPrice === null || !current.some((o) => !o.closePosition && o.amount > position.contracts + step / 2)) continue;
    try {
      await replaceProtection(deps, lease, position, orders, purpose, newest.triggerPrice);
    } catch (error) {
      if (lease.revoked) throw error;
      recordOrCarryOn(deps.journal, 'protection.shrink.error', { symbol, purpose, error: describeError(error) });
      deps.notify('warning', `The ${purpose} on ${symbol} was not resized`, `It still covers the size before the cut (${describeError(error)}); it is reduce-only, so it closes no more than the position.`);
    }
  }
}

/** The position's protective orders of one purpose (conditional, closing, reduce-only), newest first. */
function protectiveOrders(orders: Order[], position: Pick<ExchangePosition, 'side'>, purpose: 'stop' | 'take-profit'): Order[] {
  const closing = closingSide(position.side);
  return orders
    .filter((o) => o.conditional && o.purpose === purpose && o.side === closing && (o.reduceOnly || o.closePosition))
    .sort((a, b) => b.timestamp - a.timestamp);
}

/**
 * Moves a position's stop-loss or take-profit safely: the new order is placed
 * first, and only then is the old one cancelled, so the position is never
 * without its stop. Works for adopted positions too (and gives an unprotected
 * one its first stop).
 */
export async function moveProtection(deps: ExecutionDeps, symbol: string, purpose: 'stop' | 'take-profit', price: number): Promise<Order> {
  return deps.lock.run(`move:${symbol}`, async (lease) => {
    const position = await livePosition(deps, lease, symbol);
    if (!position) throw new CommandError('not-found', `There is no open position on ${symbol}`);
    const orders = await liveOrders(deps, lease, symbol);
    const mark = deps.book.markPrice(symbol) ?? position.markPrice;
    const problem = movePriceProblem(position, purpose, price, mark, deps.settings().risk.liquidationBuffer);
    if (problem) throw new CommandError('refused', problem);
    return replaceProtection(deps, lease, position, orders, purpose, price);
  });
}

/**
 * Places a stop-loss or take-profit of the position's whole size at `price`, then cancels the ones
 * it replaces: the position is never without its protection.
 */
async function replaceProtection(deps: ExecutionDeps, lease: Lease, position: ExchangePosition, orders: Order[], purpose: 'stop' | 'take-profit', price: number): Promise<Order> {
  const { symbol } = position;
  const current = protectiveOrders(orders, position, purpose);
  const parsed = current.map((o) => parseClientOrderId(o.clientOrderId)).find((p) => p !== null) ?? null;
  const record = deps.ledger.get(symbol);
  const operation = parsed?.operation ?? record?.operation ?? deps.newOperationId();
  const generation = claimGeneration(deps, orders, record, operation, purpose);
  recordOrCarryOn(deps.journal, 'protection.move', { symbol, purpose, price, replacing: current.map((o) => o.clientOrderId) });
  const p = { operation, symbol, side: position.side, amount: position.contracts, price, generation };
  let placed: Order | null;
  if (purpose === 'stop') {
    const result = await placeStop(deps, lease, p);
    if (!result.ok) throw new CommandError('exchange', `The new stop-loss was not placed (${result.reason}); the old one stays in place`);
    placed = result.order;
  } else {
    placed = await placeTakeProfit(deps, lease, p);
    if (!placed) throw new CommandError('exchange', 'The new take-profit was not placed; the old one stays in place');
  }
  for (const old of current) {
    try {
      await cancelOrder(deps, lease, old, `replaced by ${placed.clientOrderId}`);
    } catch (error) {
      if (error instanceof OrderNotFoundError) continue;
      deps.notify('warning', `Old ${purpose} still on ${symbol}`, `The replaced order ${old.clientOrderId} could not be cancelled (${describeError(error)}); both are reduce-only.`);
    }
  }
  const latest = deps.ledger.get(symbol);
  if (latest) deps.ledger.put({ ...latest, [purpose === 'stop' ? 'stop' : 'takeProfit']: price, updatedAt: deps.now() });
  return placed;
}

/**
 * The generation a new stop or take-profit of `operation` takes: above every one
 * still open, every one the ledger remembers and the entry's own first, so a new
 * order never reuses the client id of a cancelled or filled one (the exchange
 * would refuse it, or a retry's look-up would find the dead order instead).
 * The ledger remembers it before the order is sent.
 */
function claimGeneration(deps: ExecutionDeps, orders: Order[], record: ExecutionRecord | null, operation: string, purpose: 'stop' | 'take-profit'): number {
  const open = orders
    .map((o) => parseClientOrderId(o.clientOrderId))
    .filter((p) => p !== null && p.operation === operation && p.purpose === purpose)
    .map((p) => p!.generation);
  const ours = record?.operation === operation ? record : null;
  const generation = Math.max(ours ? Math.max(1, ours.generations?.[purpose] ?? 0) : 0, ...open) + 1;
  if (ours) {
    const latest = deps.ledger.get(ours.symbol) ?? ours;
    deps.ledger.put({ ...latest, generations: { ...latest.generations, [purpose]: generation }, updatedAt: deps.now() });
  }
  return generation;
}

/**
 * Why a new stop or take-profit price cannot work, or null. A stop keeps the entry's liquidation buffer
 * (shared/risk's rule, measured from the position's entry): dragging it towards liquidation is refused.
 */
function movePriceProblem(
  position: Pick<ExchangePosition, 'side' | 'liquidationPrice' | 'entryPrice'>,
  purpose: 'stop' | 'take-profit',
  price: number,
  mark: number,
  liquidationBuffer: number,
): string | null {
  const long = position.side === 'long';
  if (purpose === 'stop') {
    if (long ? price >= mark : price <= mark) return `A ${position.side} stop must sit ${long ? 'below' : 'above'} the mark price (${mark}); ${price} would trigger at once`;
    const liq = position.liquidationPrice;
    if (liq !== null && (long ? price <= liq : price >= liq)) return `A stop at ${price} lies beyond the liquidation price (${liq}): the position would be liquidated before it triggers`;
    const buffer = liquidationBufferViolation({ side: position.side, entry: position.entryPrice, stop: price, liquidationPrice: liq, buffer: liquidationBuffer });
    if (buffer) return buffer.message;
  } else if (long ? price <= mark : price >= mark) {
    return `A ${position.side} take-profit must sit ${long ? 'above' : 'below'} the mark price (${mark}); ${price} would trigger at once`;
  }
  return null;
}

/**
 * After a restart: a position the bot opened that lost its stop in a crash gets
 * the stop it was meant to have, or is closed if the price already passed it.
 */
export async function resumeProtection(deps: ExecutionDeps, symbol: string): Promise<'protected' | 'closed' | 'nothing'> {
  return deps.lock.run(`resume:${symbol}`, async (lease) => {
    const record = deps.ledger.get(symbol);
    const position = await livePosition(deps, lease, symbol);
    if (!record) return 'nothing';
    if (!position || position.side !== record.side) {
      deps.ledger.remove(symbol);
      return 'nothing';
    }
    const orders = await liveOrders(deps, lease, symbol);
    const closing = closingSide(position.side);
    const has = (purpose: Order['purpose']) => orders.some((o) => o.conditional && o.purpose === purpose && o.side === closing);
    recordOrCarryOn(deps.journal, 'protection.resume', { symbol, stage: record.stage, hasStop: has('stop'), hasTakeProfit: has('take-profit') });
    const p = { proposalId: record.proposalId, operation: record.operation, symbol, side: position.side, amount: position.contracts };
    if (!has('stop')) {
      const stop = await placeStop(deps, lease, { ...p, price: record.stop, generation: claimGeneration(deps, orders, record, record.operation, 'stop') });
      if (!stop.ok) {
        await emergencyClose(deps, lease, { ...p, operation: deps.newOperationId() }, stop.reason);
        return 'closed';
      }
    }
    if (!has('take-profit')) await placeTakeProfit(deps, lease, { ...p, price: record.takeProfit, generation: claimGeneration(deps, orders, record, record.operation, 'take-profit') });
    deps.ledger.put({ ...(deps.ledger.get(symbol) ?? record), stage: 'protected', updatedAt: deps.now() });
    return 'protected';
  });
}

/** A protective order of the cockpit's that protects nothing, with why, and the order kept in its place if any. */
export interface SurplusOrder {
  order: Order;
  keep: Order | null;
  why: string;
}

/** Newer first: within one operation the higher generation, else the later order. */
/**
 * The one order of a purpose to keep: of the operation the execution ledger names for the position
 * (else the operation of the most recently placed order), its highest generation.
 */
function orderToKeep(candidates: Order[], preferredOperation: string | null): Order | null {
  const parsed = candidates.map((order) => ({ order, id: parseClientOrderId(order.clientOrderId)! }));
  if (!parsed.length) return null;
  const newest = [...parsed].sort((a, b) => b.order.timestamp - a.order.timestamp)[0]!;
  const operation = parsed.some((p) => p.id.operation === preferredOperation) ? preferredOperation : newest.id.operation;
  return parsed.filter((p) => p.id.operation === operation).sort((a, b) => b.id.generation - a.id.generation || b.order.timestamp - a.order.timestamp)[0]!.order;
}

/**
 * The cockpit's reduce-only orders on one symbol that protect nothing: every
 * one when there is no position, stops and take-profits on the position's own side, and all but
 * one stop-loss and one take-profit (see {@link orderToKeep}). Orders placed by hand are
 * never counted.
 */
export function surplusProtection(position: Pick<ExchangePosition, 'side'> | null, orders: Order[], preferredOperation: string | null = null): SurplusOrder[] {
  const ours = orders.map(withPurpose).filter((o) => (o.reduceOnly || o.closePosition) && parseClientOrderId(o.clientOrderId) !== null);
  if (!position) return ours.map((order) => ({ order, keep: null, why: 'its position is closed' }));
  const closing = closingSide(position.side);
  const protective = ours.filter((o) => o.conditional);
  const surplus: SurplusOrder[] = protective.filter((o) => o.side !== closing).map((order) => ({ order, keep: null, why: `it is on the ${position.side} position's own side` }));
  for (const purpose of ['stop', 'take-profit'] as const) {
    const candidates = protective.filter((o) => o.side === closing && o.purpose === purpose);
    const keep = orderToKeep(candidates, preferredOperation);
    for (const order of candidates) if (order !== keep) surplus.push({ order, keep: keep!, why: `${keep!.clientOrderId} is the ${purpose} kept` });
  }
  return surplus;
}

/**
 * Leaves on the exchange exactly the protection the bot means for one symbol
 * (see {@link surplusProtection}): an interrupted move's old stop, a stop that
 * landed after a restart had placed its own, or the stop and take-profit of a
 * position closed while the engine was down, are cancelled. The book is looked
 * at first, so nothing is read from the exchange when there is nothing to do;
 * otherwise it runs under the lock on fresh REST data and journals what it
 * found before cancelling. Returns how many orders it cancelled.
 */
export async function tidyProtection(deps: ExecutionDeps, symbol: string): Promise<number> {
  const operation = () => deps.ledger.get(symbol)?.operation ?? null;
  const inBook = () => surplusProtection(deps.book.exchangePosition(symbol), deps.book.openOrders(symbol), operation()).length > 0;
  if (!inBook()) return 0;
  return deps.lock.run(`tidy:${symbol}`, async (lease) => {
    if (!inBook()) return 0;
    const position = await livePosition(deps, lease, symbol);
    const surplus = surplusProtection(position, await liveOrders(deps, lease, symbol), operation());
    for (const purpose of ['stop', 'take-profit'] as const) {
      const duplicates = surplus.filter((s) => s.keep?.purpose === purpose);
      if (!duplicates.length) continue;
      const keep = duplicates[0]!.keep!;
      recordOrCarryOn(deps.journal, 'protection.duplicate', { symbol, purpose, keep: keep.clientOrderId, cancel: duplicates.map((s) => s.order.clientOrderId) });
      const record = deps.ledger.get(symbol);
      if (record && keep.triggerPrice !== null) deps.ledger.put({ ...record, [purpose === 'stop' ? 'stop' : 'takeProfit']: keep.triggerPrice, updatedAt: deps.now() });
    }
    for (const { order, why } of surplus) await cancelOrder(deps, lease, order, why);
    return surplus.length;
  });
}
