import type { AccountState, Fill, Order, Position, PositionOrigin } from '../../../shared/domain';
import { price, quantity, usd } from '../../../shared/money';
import { distanceToLiquidationPct, effectiveLeverage, marginRatio, notional, unrealizedPnl } from '../../../shared/risk/measures';
import type { Balance, ExchangePosition } from '../exchange/adapter';
import { withPurpose } from '../exchange/client-order-id';
import { closingSide } from '../execution/order-sides';

const OPEN_STATUSES = new Set(['open', 'partially_filled']);
const DAY_MS = 86_400_000;

export interface Protection {
  stop: Order | null;
  takeProfit: Order | null;
}

export interface AccountSnapshot {
  balance: Balance;
  positions: ExchangePosition[];
  orders: Order[];
}

/** What changed when the book was rebuilt from the exchange. */
export interface ReconcileDiff {
  adopted: string[];
  vanished: string[];
  resized: Array<{ symbol: string; before: number; after: number }>;
  ordersAdded: string[];
  ordersRemoved: string[];
}

/** `marks` is a position revaluation at a new mark price: frequent, so listeners may coalesce it. */
export type BookChange = 'positions' | 'orders' | 'account' | 'marks';

/**
 * The engine's view of the account: balance, positions and open orders as the
 * exchange last reported them (by stream or by REST), plus what only the
 * cockpit knows: each position's origin and the latest mark prices.
 */
export class AccountBook {
  private balance: Balance | null = null;
  private readonly positions = new Map<string, ExchangePosition>();
  private readonly orders = new Map<string, Order>();
  private readonly origins = new Map<string, PositionOrigin>();
  private readonly marks = new Map<string, number>();
  private realized = { day: -1, pnl: 0 };
  private readonly listeners = new Set<(change: BookChange) => void>();

  constructor(private readonly now: () => number) {}

  /** Called on every change; returns the unsubscribe function. */
  onChange(listener: (change: BookChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Replaces everything with the exchange's REST answer; returns what differed. */
  replace(snapshot: AccountSnapshot): ReconcileDiff {
    const before = new Map(this.positions);
    const beforeOrders = new Set(this.orders.keys());
    this.balance = mergeBalance(this.balance, snapshot.balance);
    this.positions.clear();
    for (const p of snapshot.positions) if (p.contracts > 0) this.positions.set(p.symbol, p);
    this.orders.clear();
    for (const o of snapshot.orders) if (OPEN_STATUSES.has(o.status)) this.orders.set(orderKey(o), withPurpose(o));
    for (const symbol of before.keys()) if (!this.positions.has(symbol)) this.origins.delete(symbol);
    const diff: ReconcileDiff = {
      adopted: [...this.positions.keys()].filter((s) => !before.has(s)),
      vanished: [...before.keys()].filter((s) => !this.positions.has(s)),
      resized: [...this.positions.values()]
        .filter((p) => before.has(p.symbol) && before.get(p.symbol)!.contracts !== p.contracts)
        .map((p) => ({ symbol: p.symbol, before: before.get(p.symbol)!.contracts, after: p.contracts })),
      ordersAdded: [...this.orders.keys()].filter((k) => !beforeOrders.has(k)),
      ordersRemoved: [...beforeOrders].filter((k) => !this.orders.has(k)),
    };
    this.emit('positions');
    this.emit('orders');
    this.emit('account');
    return diff;
  }

  applyOrder(order: Order): void {
    const key = orderKey(order);
    if (OPEN_STATUSES.has(order.status)) this.orders.set(key, withPurpose(order));
    else this.orders.delete(key);
    this.emit('orders');
  }

  /** Every open position, as the stream or REST reports them: a symbol left out is flat. */
  applyPositions(positions: ExchangePosition[]): void {
    const open = new Map(positions.filter((p) => p.contracts > 0).map((p) => [p.symbol, p]));
    for (const symbol of this.positions.keys()) {
      if (!open.has(symbol)) {
        this.positions.delete(symbol);
        this.origins.delete(symbol);
      }
    }
    for (const [symbol, p] of open) this.positions.set(symbol, p);
    this.emit('positions');
    this.emit('account');
  }

  /** A balance update; a figure it does not carry (NaN) keeps its last known value. */
  applyBalance(balance: Balance): void {
    this.balance = mergeBalance(this.balance, balance);
    this.emit('account');
  }

  applyFill(fill: Fill): void {
    const day = Math.floor(fill.time / DAY_MS);
    if (day !== this.realized.day) this.realized = { day, pnl: 0 };
    this.realized.pnl += fill.realizedPnl - fill.fee;
  }

  applyMark(symbol: string, mark: number): void {
    if (!(mark > 0)) return;
    this.marks.set(symbol, mark);
    if (this.positions.has(symbol)) this.emit('marks');
  }

  /** Records who opened the position on `symbol`; set before the entry is sent, it holds until that position closes. */
  setOrigin(symbol: string, origin: PositionOrigin): void {
    if (this.origins.get(symbol) === origin) return;
    this.origins.set(symbol, origin);
    if (this.positions.has(symbol)) this.emit('positions');
  }

  /** Drops an origin recorded for an entry that never opened a position. */
  forgetPendingOrigin(symbol: string): void {
    if (!this.positions.has(symbol)) this.origins.delete(symbol);
  }

  origin(symbol: string): PositionOrigin | undefined {
    return this.origins.get(symbol);
  }

  exchangePosition(symbol: string): ExchangePosition | null {
    return this.positions.get(symbol) ?? null;
  }

  exchangePositions(): ExchangePosition[] {
    return [...this.positions.values()];
  }

  openOrders(symbol?: string): Order[] {
    return [...this.orders.values()].filter((o) => !symbol || o.symbol === symbol);
  }

  /** The working stop-loss and take-profit of a position: reduce-only (or close-position) conditional orders on the closing side. */
  protection(symbol: string): Protection {
    const position = this.positions.get(symbol);
    const protective = this.openOrders(symbol).filter((o) => o.conditional && (o.reduceOnly || o.closePosition) && (!position || o.side === closingSide(position.side)));
    const newest = (purpose: Order['purpose']) =>
      protective.filter((o) => o.purpose === purpose).sort((a, b) => b.timestamp - a.timestamp)[0] ?? null;
    return { stop: newest('stop'), takeProfit: newest('take-profit') };
  }

  markPrice(symbol: string): number | null {
    return this.marks.get(symbol) ?? this.positions.get(symbol)?.markPrice ?? null;
  }

  positionViews(): Position[] {
    return [...this.positions.values()].map((p) => this.view(p));
  }

  accountState(): AccountState {
    const b = this.balance;
    const views = this.positionViews();
    const unrealized = views.length ? views.reduce((sum, p) => sum + p.unrealizedPnl, 0) : (b?.unrealizedPnl ?? 0);
    const wallet = b?.walletBalance ?? 0;
    const equity = wallet + unrealized;
    const maintenance = views.length ? views.reduce((sum, p) => sum + p.maintenanceMargin, 0) || (b?.maintenanceMargin ?? 0) : 0;
    const totalNotional = views.reduce((sum, p) => sum + p.notional, 0);
    const today = Math.floor(this.now() / DAY_MS);
    return {
      currency: b?.currency ?? 'USDT',
      walletBalance: wallet,
      equity,
      unrealizedPnl: unrealized,
      usedMargin: b?.initialMargin ?? 0,
      freeMargin: b?.availableBalance ?? 0,
      maintenanceMargin: maintenance,
      marginRatio: views.length ? marginRatio(usd(maintenance), usd(equity)) : null,
      realizedPnlToday: this.realized.day === today ? this.realized.pnl : 0,
      effectiveLeverage: effectiveLeverage(usd(totalNotional), usd(equity)),
      updatedAt: this.now(),
    };
  }

  hasBalance(): boolean {
    return this.balance !== null;
  }

  private view(p: ExchangePosition): Position {
    const mark = this.marks.get(p.symbol) ?? p.markPrice ?? p.entryPrice;
    const markOk = mark > 0;
    const protection = this.protection(p.symbol);
    const positionNotional = markOk ? notional(quantity(p.contracts), price(mark)) : p.notional;
    return {
      symbol: p.symbol,
      side: p.side,
      contracts: p.contracts,
      entryPrice: p.entryPrice,
      markPrice: mark,
      notional: positionNotional,
      unrealizedPnl: markOk && p.entryPrice > 0 ? unrealizedPnl(p.side, quantity(p.contracts), price(p.entryPrice), price(mark)) : p.unrealizedPnl,
      leverage: p.leverage,
      marginMode: p.marginMode,
      initialMargin: p.initialMargin,
      maintenanceMargin: p.maintenanceMargin,
      isolatedWallet: p.isolatedWallet,
      liquidationPrice: p.liquidationPrice,
      distanceToLiquidationPct: markOk ? distanceToLiquidationPct(p.side, price(mark), p.liquidationPrice === null ? null : price(p.liquidationPrice)) : null,
      origin: this.origins.get(p.symbol) ?? 'manual',
      stopPrice: protection.stop?.triggerPrice ?? null,
      takeProfitPrice: protection.takeProfit?.triggerPrice ?? null,
      updatedAt: this.now(),
    };
  }

  private emit(change: BookChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

function mergeBalance(previous: Balance | null, next: Balance): Balance {
  const keep = (key: Exclude<keyof Balance, 'currency'>) => (Number.isFinite(next[key]) ? next[key] : (previous?.[key] ?? 0));
  return {
    currency: next.currency,
    walletBalance: keep('walletBalance'),
    unrealizedPnl: keep('unrealizedPnl'),
    marginBalance: keep('marginBalance'),
    availableBalance: keep('availableBalance'),
    initialMargin: keep('initialMargin'),
    maintenanceMargin: keep('maintenanceMargin'),
  };
}

function orderKey(order: Pick<Order, 'symbol' | 'id' | 'conditional'>): string {
  return `${order.symbol}|${order.conditional ? 'c' : 'n'}|${order.id}`;
}
