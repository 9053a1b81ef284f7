import type { Candle, Fill, MarginMode, MarketInfo, Order, OrderStatus, OrderType, RateLimitState, Ticker, Timeframe } from '../../../shared/domain';
import { roundDownToStep, roundToTick } from '../../../shared/risk/precision';
import { FaultInjector, type RejectFault } from '../sim/faults';
import { createSyntheticFeed } from '../sim/feeds/synthetic';
import { defaultMarkets } from '../sim/markets';
import { createSimExchange } from '../sim/sim-exchange';
import { createSimRunner, maxSpeedUntil, type SimRunner, type SimSpeed } from '../sim/sim-runner';
import {
  SimError,
  type PriceFeed,
  type SimAccount,
  type SimEvent,
  type SimExchange,
  type SimFill,
  type SimMark,
  type SimOrder,
  type SimOrderRequest,
  type SimOrderType,
  type SimPosition,
} from '../sim/types';
import type { Balance, ExchangeAdapter, ExchangeCapabilities, ExchangePosition, ExchangeStreamEvent, OrderRequest, StreamSubscription } from './adapter';
import {
  AmbiguousOrderError,
  DuplicateClientOrderIdError,
  ExchangeError,
  InsufficientMarginError,
  OrderNotFoundError,
  OrderRejectedError,
  TemporaryExchangeError,
} from './errors';
import { errorMessage } from '../../../shared/error-message';

export interface PaperAdapterOptions {
  /** Seeds the synthetic prices, the premium and the fault injector (default 1). */
  seed?: number;
  /** USDT in the paper wallet at start (default 10,000). */
  startBalance?: number;
  /**
   * Simulated time per wall-clock time (default 1: real time), or `max`: as fast as possible to the end
   * of the feed's data (a replay's last bar) or, for the endless synthetic feed, one simulated day;
   * the clock then stops there.
   */
  speed?: SimSpeed;
  /** Fault-injection spec, for tests (see sim/faults.ts). */
  faults?: string;
  /** How long a request waits for an answer before it gives up, as ccxt's `timeout` (default 10,000 ms); only a `hang` fault makes one wait. */
  timeoutMs?: number;
  /** The wall clock (default Date.now). */
  now?: () => number;
  /** Where the simulated clock starts (default: the wall clock's now); it then runs at `speed` from there. */
  startTime?: number;
  /** The simulator's markets (default: the USDT-margined {@link defaultMarkets}). */
  markets?: MarketInfo[];
  /** Settle currency of the markets the cockpit lists and trades (default USDT); the simulator's others take only closes, as on a real account. */
  settle?: string;
  /** Price source (default: the seeded synthetic feed). */
  feed?: PriceFeed;
  /** Simulated milliseconds between price ticks (default {@link PAPER_TICK_MS}). */
  tickMs?: number;
  /** Tests: no runner; simulated time moves only through `adapter.sim.advanceTo`. */
  manualClock?: boolean;
}

/** Simulated milliseconds between the paper exchange's price ticks, unless told otherwise. */
export const PAPER_TICK_MS = 250;

/** The paper adapter, with its simulator in reach for tests and tools. */
export interface PaperAdapter extends ExchangeAdapter {
  readonly sim: SimExchange;
}

export const PAPER_CAPABILITIES: ExchangeCapabilities = {
  separateConditionalOrders: true,
  amendConditionalOrders: false,
  markPriceTriggers: true,
  maxClientOrderIdLength: 36,
  clientOrderIdStyle: 'dashed',
  liquidationFormula: 'binanceusdm',
  // The simulator answers every request it takes at once, or drops it: nothing sent to it lands later.
  requestLifetimeMs: 0,
};

/** Binance's request weight limit per minute, for the simulated rate-limit gauge. */
const WEIGHT_LIMIT = 2400;
const WEIGHT_WINDOW_MS = 60_000;

const TEMPORARY_CODES = new Set([-1000, -1001, -1003, -1007, -1008, -1021]);
const NOT_FOUND_CODES = new Set([-2011, -2013]);
const DUPLICATE_CLIENT_ID = -4116;

/** The exchange error a simulator rejection stands for; anything else is passed through unchanged. */
export function toExchangeError(error: unknown): unknown {
  if (!(error instanceof SimError)) return error;
  const code = String(error.code);
  if (TEMPORARY_CODES.has(error.code) || error.code >= 500) return new TemporaryExchangeError(error.message, code);
  if (error.code === -2019) return new InsufficientMarginError(error.message, code);
  if (NOT_FOUND_CODES.has(error.code)) return new OrderNotFoundError(error.message, code);
  if (error.code === DUPLICATE_CLIENT_ID) return new DuplicateClientOrderIdError(error.message, code);
  return new OrderRejectedError(error.message, code);
}

function faultError(fault: RejectFault): TemporaryExchangeError {
  if (fault === '429') return new TemporaryExchangeError('Too many requests; current limit is 2400 request weight per 1 MINUTE.', '-1003');
  if (fault === '1021') return new TemporaryExchangeError('Timestamp for this request is outside of the recvWindow.', '-1021');
  return new TemporaryExchangeError('Service Unavailable.', '503');
}

const ORDER_TYPES: Record<OrderType, SimOrderType> = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop_market: 'STOP_MARKET',
  take_profit_market: 'TAKE_PROFIT_MARKET',
};

const ORDER_STATUS: Record<SimOrder['status'], OrderStatus> = {
  NEW: 'open',
  PARTIALLY_FILLED: 'partially_filled',
  FILLED: 'filled',
  CANCELED: 'canceled',
  EXPIRED: 'expired',
  REJECTED: 'rejected',
};

export function toOrder(order: SimOrder): Order {
  const type = (Object.keys(ORDER_TYPES) as OrderType[]).find((t) => ORDER_TYPES[t] === order.type)!;
  return {
    id: String(order.orderId),
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side === 'BUY' ? 'buy' : 'sell',
    type,
    purpose: 'other',
    price: order.type === 'LIMIT' ? order.price : null,
    triggerPrice: order.conditional ? order.stopPrice : null,
    triggerBy: order.conditional ? order.workingType : null,
    amount: order.origQty,
    filled: order.executedQty,
    averagePrice: order.executedQty > 0 ? order.avgPrice : null,
    status: ORDER_STATUS[order.status],
    reduceOnly: order.reduceOnly,
    closePosition: order.closePosition,
    conditional: order.conditional,
    timestamp: order.time,
  };
}

export function toFill(fill: SimFill): Fill {
  return {
    orderId: String(fill.orderId),
    clientOrderId: fill.clientOrderId,
    symbol: fill.symbol,
    side: fill.side === 'BUY' ? 'buy' : 'sell',
    price: fill.price,
    amount: fill.quantity,
    fee: fill.commission,
    realizedPnl: fill.realizedPnl,
    time: fill.time,
  };
}

function toExchangePosition(position: SimPosition): ExchangePosition {
  return {
    symbol: position.symbol,
    side: position.positionAmt > 0 ? 'long' : 'short',
    contracts: Math.abs(position.positionAmt),
    entryPrice: position.entryPrice,
    markPrice: position.markPrice,
    notional: Math.abs(position.notional),
    unrealizedPnl: position.unrealizedPnl,
    leverage: position.leverage,
    marginMode: position.marginMode,
    initialMargin: position.initialMargin,
    maintenanceMargin: position.maintenanceMargin,
    liquidationPrice: position.liquidationPrice,
    isolatedWallet: position.isolatedWallet,
  };
}

export function toBalance(account: SimAccount): Balance {
  return {
    currency: account.asset,
    walletBalance: account.walletBalance,
    unrealizedPnl: account.unrealizedPnl,
    marginBalance: account.marginBalance,
    availableBalance: account.availableBalance,
    initialMargin: account.initialMargin,
    maintenanceMargin: account.maintenanceMargin,
  };
}

export function toTicker(mark: SimMark): Ticker {
  return {
    symbol: mark.symbol,
    last: mark.lastPrice,
    mark: mark.markPrice,
    index: mark.indexPrice,
    fundingRate: mark.fundingRate,
    nextFundingTime: mark.nextFundingTime,
    time: mark.time,
  };
}

function toStreamEvents(event: SimEvent, subscription: StreamSubscription): ExchangeStreamEvent[] {
  switch (event.type) {
    case 'mark':
      return (subscription.marks ?? subscription.symbols).includes(event.mark.symbol) ? [{ type: 'ticker', ticker: toTicker(event.mark) }] : [];
    case 'kline':
      return subscription.symbols.includes(event.symbol) && subscription.timeframes.includes(event.timeframe)
        ? [{ type: 'candle', symbol: event.symbol, timeframe: event.timeframe, candle: event.candle, closed: event.closed }]
        : [];
    case 'order':
      return event.fill ? [{ type: 'order', order: toOrder(event.order) }, { type: 'fill', fill: toFill(event.fill) }] : [{ type: 'order', order: toOrder(event.order) }];
    case 'account':
      return [
        { type: 'positions', positions: event.positions.filter((p) => p.positionAmt !== 0).map(toExchangePosition) },
        { type: 'balance', balance: toBalance(event.account) },
      ];
    case 'liquidation':
      return [
        {
          type: 'liquidation',
          symbol: event.symbol,
          side: event.positionAmt > 0 ? 'long' : 'short',
          contracts: Math.abs(event.positionAmt),
          price: event.bankruptcyPrice,
        },
      ];
    case 'funding':
      return [];
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const lostAnswer = (what = 'Request timed out') => new AmbiguousOrderError(`${what} after it was sent: the order may or may not exist`, 'timeout');

/**
 * Paper trading: the engine's exchange adapter, backed in-process by the simulated exchange.
 * Time runs in real time (or `speed`× faster, or as fast as possible) from the wall clock; prices come from the seeded
 * synthetic feed unless another feed is given. Faults, when given, hit every request like a real
 * exchange's would: latency, 5xx/429/-1021 rejections, hung and lost responses after acceptance, dropped streams.
 */
export function createPaperAdapter(options: PaperAdapterOptions = {}): PaperAdapter {
  const seed = options.seed ?? 1;
  const now = options.now ?? Date.now;
  const markets = options.markets ?? defaultMarkets();
  const startBalance = options.startBalance ?? 10_000;
  const feed = options.feed ?? createSyntheticFeed({ seed });
  const sim = createSimExchange({
    markets,
    feed,
    startTime: Math.floor((options.startTime ?? now()) / 1000) * 1000,
    startBalance,
    seed,
    tickMs: options.tickMs ?? PAPER_TICK_MS,
  });
  const faults = FaultInjector.fromSpec(options.faults, seed);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const requestTimes: number[] = [];
  const streamListeners = new Set<(event: ExchangeStreamEvent) => void>();
  let runner: SimRunner | null = null;

  const notifyAll = (event: ExchangeStreamEvent) => {
    for (const listener of streamListeners) listener(event);
  };

  if (!options.manualClock) {
    const speed = options.speed ?? 1;
    runner = createSimRunner({
      sim,
      speed,
      ...(speed === 'max' ? { until: maxSpeedUntil(sim.now(), feed) } : {}),
      now,
      onError: (error) => notifyAll({ type: 'connection', state: 'disconnected', detail: `Paper exchange stopped: ${errorMessage(error)}` }),
    });
    runner.start();
  }

  const marketOf = (symbol: string): MarketInfo => {
    const market = markets.find((m) => m.symbol === symbol);
    if (!market) throw new ExchangeError(`Unknown market ${symbol}`, '-1121');
    return market;
  };
  const settle = options.settle ?? 'USDT';
  const listed = markets.filter((m) => m.settle === settle);
  const listedMarket = (symbol: string): MarketInfo => {
    const market = marketOf(symbol);
    if (market.settle !== settle) throw new ExchangeError(`Unknown market ${symbol}: the cockpit trades ${settle}-margined markets`, '-1121');
    return market;
  };

  const request = async <T>(work: () => T, changesState = false): Promise<T> => {
    const time = now();
    requestTimes.push(time);
    while (requestTimes.length && requestTimes[0]! <= time - WEIGHT_WINDOW_MS) requestTimes.shift();
    const delay = faults.latency();
    if (delay > 0) await sleep(delay);
    const fault = faults.requestFault();
    if (fault && fault !== 'hang') throw faultError(fault);
    const hangUp = async (): Promise<never> => {
      await sleep(timeoutMs);
      const timedOut = `Request timed out (${timeoutMs} ms)`;
      throw changesState ? lostAnswer(timedOut) : new TemporaryExchangeError(timedOut, 'timeout');
    };
    let result: T;
    try {
      result = work();
    } catch (error) {
      if (fault === 'hang') return hangUp();
      throw toExchangeError(error);
    }
    if (fault === 'hang') return hangUp();
    if (changesState && faults.loseResponse()) throw lostAnswer();
    return result;
  };

  const toSimRequest = (order: OrderRequest): SimOrderRequest => {
    const market = marketOf(order.symbol);
    if (!order.closePosition && !(Number.isFinite(order.amount) && order.amount > 0)) {
      throw new OrderRejectedError(`Order amount must be a number above zero, got ${order.amount}`, '-4003');
    }
    const roundPrice = (value: number | undefined, name: string): number | undefined => {
      if (value === undefined) return undefined;
      if (!(Number.isFinite(value) && value > 0)) throw new OrderRejectedError(`Order ${name} must be a number above zero, got ${value}`, '-4001');
      return roundToTick(value, market.tickSize);
    };
    const simRequest: SimOrderRequest = {
      symbol: order.symbol,
      side: order.side === 'buy' ? 'BUY' : 'SELL',
      type: ORDER_TYPES[order.type],
      clientOrderId: order.clientOrderId,
    };
    if (order.closePosition) simRequest.closePosition = true;
    else {
      simRequest.quantity = roundDownToStep(order.amount, market.amountStep);
      if (order.reduceOnly) simRequest.reduceOnly = true;
    }
    const price = order.type === 'limit' ? roundPrice(order.price, 'price') : undefined;
    if (price !== undefined) simRequest.price = price;
    const stopPrice = order.type === 'stop_market' || order.type === 'take_profit_market' ? roundPrice(order.triggerPrice, 'trigger price') : undefined;
    if (stopPrice !== undefined) simRequest.stopPrice = stopPrice;
    if (order.triggerBy && stopPrice !== undefined) simRequest.workingType = order.triggerBy;
    return simRequest;
  };

  return {
    id: 'paper',
    mode: 'paper',
    capabilities: PAPER_CAPABILITIES,
    sim,

    loadMarkets: () => request(() => listed.map((m) => ({ ...m, tiers: m.tiers.map((t) => ({ ...t })) }))),
    market: listedMarket,
    closingMarket: (symbol) => request(() => marketOf(symbol)),
    amountToPrecision: (symbol, amount) => roundDownToStep(amount, marketOf(symbol).amountStep),
    priceToPrecision: (symbol, price) => roundToTick(price, marketOf(symbol).tickSize),

    fetchBalance: () => request(() => toBalance(sim.account())),
    fetchTransfers: (since) => request(() => sim.transfers().filter((t) => t.time >= since).map((t) => ({ id: String(t.id), time: t.time, amount: t.amount }))),
    fetchPositions: () => request(() => sim.positions().filter((p) => p.positionAmt !== 0).map(toExchangePosition)),
    fetchOpenOrders: (symbol) => request(() => sim.openOrders(symbol, 'all').map(toOrder)),
    fetchOrderByClientId: (symbol, clientOrderId) =>
      request(() => {
        try {
          return toOrder(sim.getOrder(symbol, { clientOrderId }));
        } catch (error) {
          if (error instanceof SimError && error.code === -2013) return null;
          throw error;
        }
      }),
    fetchOHLCV: (symbol: string, timeframe: Timeframe, since?: number, limit?: number): Promise<Candle[]> =>
      request(() => sim.candles(symbol, timeframe, { ...(since !== undefined ? { since } : {}), ...(limit !== undefined ? { limit } : {}) })),
    fetchTicker: (symbol) => request(() => toTicker(sim.mark(symbol))),
    fetchFills: (symbol, since) => request(() => sim.fills(symbol).filter((f) => f.time >= since).map(toFill)),
    fetchFundingPayments: (since) => request(() => sim.fundingPayments().filter((f) => f.time >= since).map((f) => ({ symbol: f.symbol, amount: f.payment, time: f.time }))),

    setLeverage: (symbol, leverage) =>
      request(() => {
        sim.setLeverage(symbol, leverage);
      }, true),
    setMarginMode: (symbol: string, mode: MarginMode) =>
      request(() => {
        if (sim.marginMode(symbol) !== mode) sim.setMarginMode(symbol, mode);
      }, true),
    modifyMargin: (symbol, amount, direction) => request(() => sim.modifyIsolatedMargin(symbol, amount, direction), true),

    createOrder: async (order) => {
      const simRequest = toSimRequest(order);
      return request(() => toOrder(sim.placeOrder(simRequest)), true);
    },
    cancelOrder: (order) =>
      request(() => {
        sim.cancelOrder(order.symbol, { orderId: Number(order.id) });
      }, true),
    cancelAllOrders: (symbol) => request(() => sim.cancelAllOrders(symbol, 'all').length, true),

    subscribe(subscription, listener) {
      let dropped = false;
      const forward = (event: ExchangeStreamEvent) => {
        if (streamListeners.has(listener)) listener(event);
      };
      streamListeners.add(listener);
      const unsubscribe = sim.subscribe((event) => {
        for (const streamEvent of toStreamEvents(event, subscription)) {
          if (faults.dropSocket()) {
            dropped = true;
            forward({ type: 'connection', state: 'reconnecting', detail: 'Paper stream dropped (fault injection)' });
            queueMicrotask(() => {
              if (!dropped) return;
              dropped = false;
              forward({ type: 'connection', state: 'connected', detail: null });
            });
            continue;
          }
          if (!dropped) forward(streamEvent);
        }
      });
      queueMicrotask(() => forward({ type: 'connection', state: 'connected', detail: null }));
      return () => {
        streamListeners.delete(listener);
        unsubscribe();
      };
    },

    withoutThrottle: (work) => work(),
    rateLimit: (): RateLimitState => {
      const time = now();
      return { used: requestTimes.filter((t) => t > time - WEIGHT_WINDOW_MS).length, limit: WEIGHT_LIMIT, windowMs: WEIGHT_WINDOW_MS };
    },

    close: async () => {
      runner?.stop();
      runner = null;
      streamListeners.clear();
    },
  };
}
