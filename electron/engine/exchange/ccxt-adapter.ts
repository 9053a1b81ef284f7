import ccxt from 'ccxt';
import type { Candle, Fill, FundingPayment, MarginMode, MarketInfo, Order, RateLimitState, Ticker, Timeframe } from '../../../shared/domain';
import type { Balance, ExchangeAdapter, ExchangePosition, ExchangeStreamEvent, OrderRequest, StreamSubscription, WalletTransfer } from './adapter';
import { practiceAccountProblem } from '../../../shared/practice-accounts';
import { capabilitiesFor, isLiveExchange, type CcxtCapabilities, type LiveExchangeId } from './capabilities';
import { ccxtCall, fromCcxtError, keepRateLimitAnswers } from './ccxt-errors';
import { baseToContracts, contractSizeOf, contractsToBase } from './contract-size';
import { toBalance, toCandle, toFill, toFundingPayment, toMarketInfo, toOrder, toPosition, toTicker, toTiers } from './ccxt-parse';
import { AccountSetupError, OrderNotFoundError, OrderRejectedError, TemporaryExchangeError } from './errors';
import { createCcxtStreams } from './ccxt-streams';
import { pointExchangeAt } from './exchange-url';
import { keyFingerprint } from '../account/key-fingerprint';

export interface CcxtCredentials {
  apiKey: string;
  apiSecret: string;
  password?: string;
}

export interface CcxtAdapterOptions {
  exchange: string;
  credentials: CcxtCredentials | null;
  /** Points every REST and WebSocket URL of the exchange at this origin (e.g. `npm run venue`). */
  exchangeUrl?: string;
  /** The exchange's futures testnet (ccxt sandbox mode), where it has one; see `PRACTICE_ACCOUNTS`. */
  testnet?: boolean;
  /** The exchange's demo trading, where it has it. */
  demo?: boolean;
  /** Request timeout in ms (ccxt's `timeout`). */
  timeoutMs?: number;
  /** ccxt's client-side throttle (default on). Off only against the local venue, whose limits are the test's. */
  enableRateLimit?: boolean;
  now?: () => number;
  /** Settle currency of the markets traded. */
  settle?: string;
}

/** The ccxt instance the adapter drives; exposed for request-building tests. */
export type CcxtExchange = InstanceType<(typeof ccxt.pro)['binanceusdm']>;

const TICK_SIZE = 4;
/** The newest fills asked for per symbol when loading the recent ones (Bybit gives at most 100). */
const FILLS_PER_REQUEST = 100;

/**
 * Builds the ccxt.pro exchange the adapter wraps, with its URLs pointed where asked: `exchangeUrl`
 * when given, else the testnet or demo trading, else the real exchange. A practice account the
 * exchange does not have is refused here rather than failing on the first private call.
 */
export function createCcxtExchange(options: CcxtAdapterOptions): CcxtExchange {
  if (!isLiveExchange(options.exchange)) throw new Error(`Unsupported exchange "${options.exchange}": use binanceusdm, bybit or okx`);
  const practice = { testnet: options.testnet ?? false, demo: options.demo ?? false };
  const problem = practiceAccountProblem(options.exchange, practice);
  if (problem) throw new Error(problem.message);
  const capabilities = capabilitiesFor(options.exchange);
  const Klass = ccxt.pro[options.exchange] as unknown as new (config: Record<string, unknown>) => CcxtExchange;
  const exchange = new Klass({
    apiKey: options.credentials?.apiKey,
    secret: options.credentials?.apiSecret,
    password: options.credentials?.password,
    enableRateLimit: options.enableRateLimit ?? true,
    // Exchanges cap request weight per minute, not per request: a rolling window lets a burst through
    // (the emergency flatten's parallel cancels and closes) while the minute stays under the limit.
    rateLimiterAlgorithm: 'rollingWindow',
    rollingWindowSize: 60_000,
    timeout: options.timeoutMs ?? 10_000,
    options: { defaultType: 'swap', fetchCurrencies: false, warnOnFetchOpenOrdersWithoutSymbol: false, ...capabilities.ccxtOptions },
  });
  keepRateLimitAnswers(exchange);
  handleUnawaitedStreamFutures(exchange);
  if (options.exchangeUrl) pointExchangeAt(exchange, options.exchangeUrl);
  else if (practice.testnet || (practice.demo && capabilities.demoTradingSwitch === 'sandboxMode')) exchange.setSandboxMode(true);
  else if (practice.demo) exchange.enableDemoTrading(true);
  return exchange;
}

/**
 * Named hook on ccxt.pro's websocket clients: every future a client makes gets a handler, so one
 * that nobody awaits (ccxt's own snapshot loads, the futures of a connection torn down while it was
 * still connecting) rejects quietly instead of as an unhandled rejection, which would stop the engine's
 * Node process. Whoever does await a future still gets its rejection.
 */
export function handleUnawaitedStreamFutures(exchange: CcxtExchange): void {
  const target = exchange as unknown as { client: (url: string) => { future: (hash: string) => Promise<unknown>; cockpitHandled?: true } };
  const makeClient = target.client.bind(exchange);
  target.client = (url) => {
    const client = makeClient(url);
    if (client.cockpitHandled) return client;
    const future = client.future.bind(client);
    client.future = (hash) => {
      const made = future(hash);
      made.catch(() => undefined);
      return made;
    };
    client.cockpitHandled = true;
    return client;
  };
}

const practiceOf = (options: Pick<CcxtAdapterOptions, 'testnet' | 'demo'>): 'testnet' | 'demo' | undefined =>
  options.testnet ? 'testnet' : options.demo ? 'demo' : undefined;

/**
 * Which of the exchange's networks the options reach: the `exchangeUrl` host and the practice
 * account (testnet or demo), or (undefined) the main one with real keys.
 */
function networkOf(options: Pick<CcxtAdapterOptions, 'exchangeUrl' | 'testnet' | 'demo'>): string | undefined {
  const host = options.exchangeUrl ? (URL.canParse(options.exchangeUrl) ? new URL(options.exchangeUrl).host : options.exchangeUrl) : undefined;
  const parts = [host, practiceOf(options)].filter((part): part is string => part !== undefined);
  return parts.length ? parts.join('-') : undefined;
}

/**
 * The live adapter: one ccxt.pro exchange behind {@link ExchangeAdapter}.
 * Differences between exchanges come from {@link CcxtCapabilities} data and the
 * few hooks below (conditional-order params and queries), never from callers.
 */
export function createCcxtAdapter(options: CcxtAdapterOptions, exchange: CcxtExchange = createCcxtExchange(options)): ExchangeAdapter & {
  readonly capabilities: CcxtCapabilities;
  readonly exchange: CcxtExchange;
} {
  const id = options.exchange as LiveExchangeId;
  const capabilities = capabilitiesFor(id);
  const now = options.now ?? Date.now;
  const settle = options.settle ?? 'USDT';
  const markets = new Map<string, MarketInfo>();
  /** Markets the cockpit does not list but holds a position on, built on demand for closing it. */
  const unlisted = new Map<string, MarketInfo>();
  const requestTimes: number[] = [];
  const tickSizeMode = () => exchange.precisionMode === TICK_SIZE;
  /** Leverage per symbol as last set or read over REST: the position stream does not carry it. */
  const knownLeverage = new Map<string, number>();
  const contractSize = (symbol: unknown): number => contractSizeOf(typeof symbol === 'string' ? exchange.markets?.[symbol] : undefined);
  /**
   * Named hook: every close and the flatten send reduce-only orders with no position side, which
   * only a one-way account takes (Binance refuses reduceOnly in hedge mode). Checked on each load
   * of markets with keys until the account is seen to be one-way, so live trading never starts on a
   * hedged account; where only positions tell the mode (Bybit), an account with none is asked again
   * on the next load, and a hedge-mode position read later refuses the read.
   */
  let oneWayConfirmed = false;
  const hedgeModeRefusal = (seen: string) =>
    new AccountSetupError(
      `The ${id} account is in hedge mode (${seen}), where the cockpit's reduce-only closes and the flatten are refused. Switch the account to one-way mode; the engine checks again on its next start attempt.`,
    );
  const positionMode = capabilities.hedgeModeCheck.via === 'positionField' ? capabilities.hedgeModeCheck : null;
  /** What one raw position says of the account's mode, where positions tell it; null when it says nothing. */
  const modeShownBy = (position: Record<string, any>): 'hedge' | 'one-way' | null => {
    if (!positionMode) return null;
    const value = position.info?.[positionMode.field];
    if (value === undefined || value === null) return null;
    if (positionMode.hedgedValues.includes(String(value))) return 'hedge';
    return positionMode.oneWayValues.includes(String(value)) ? 'one-way' : null;
  };
  const refuseHedgedPosition = (position: Record<string, any>): void => {
    if (!positionMode || modeShownBy(position) !== 'hedge') return;
    oneWayConfirmed = false;
    throw hedgeModeRefusal(`its ${String(position.symbol)} position has ${positionMode.field} ${String(position.info[positionMode.field])}, one side of a two-sided book`);
  };
  const accountIsHedged = async (): Promise<boolean | null> => {
    if (positionMode) {
      const shown = (await ccxtCall(() => exchange.fetchPositions())).map(modeShownBy);
      return shown.includes('hedge') ? true : shown.includes('one-way') ? false : null;
    }
    if (!exchange.has['fetchPositionMode']) return null;
    return (await ccxtCall(() => exchange.fetchPositionMode())).hedged === true;
  };
  const refuseHedgeMode = async (): Promise<void> => {
    if (oneWayConfirmed || !options.credentials) return;
    const hedged = await accountIsHedged();
    if (hedged === null) return;
    if (hedged) throw hedgeModeRefusal('long and short positions side by side');
    oneWayConfirmed = true;
  };

  const parse: Parsers = {
    order: (order) => toOrder(order, contractSize(order.symbol)),
    fill: (trade) => toFill(trade, contractSize(trade.symbol)),
    position: (position) => {
      refuseHedgedPosition(position);
      return toPosition(position, knownLeverage.get(String(position.symbol)), contractSize(position.symbol));
    },
  };

  const originalFetch = exchange.fetch.bind(exchange);
  exchange.fetch = (async (...args: Parameters<typeof originalFetch>) => {
    requestTimes.push(now());
    return originalFetch(...args);
  }) as typeof exchange.fetch;

  const market = (symbol: string): MarketInfo => {
    const info = markets.get(symbol);
    if (!info) throw new OrderRejectedError(`Unknown market ${symbol}${markets.size ? '' : ' (markets not loaded)'}`);
    return info;
  };

  /** Named hook: the params that make an order a mark-price, reduce-only conditional order on this exchange. */
  const orderParams = (request: OrderRequest): Record<string, unknown> => {
    const params: Record<string, unknown> = { clientOrderId: request.clientOrderId };
    if (request.reduceOnly) params['reduceOnly'] = true;
    if (request.type === 'stop_market' || request.type === 'take_profit_market') {
      if (request.triggerPrice === undefined) throw new OrderRejectedError(`${request.type} order ${request.clientOrderId} needs a trigger price`);
      const isStop = request.type === 'stop_market';
      params[isStop ? 'stopLossPrice' : 'takeProfitPrice'] = exchange.priceToPrecision(request.symbol, request.triggerPrice);
      if (request.triggerBy !== 'last') Object.assign(params, isStop ? capabilities.markTriggerStopParams : capabilities.markTriggerTakeProfitParams);
      if (request.closePosition) params['closePosition'] = true;
    }
    return params;
  };

  /** A base-asset amount as the contracts the exchange takes, rounded down to its contract step (0 when nothing is left). */
  const contractsFor = (symbol: string, amount: number): number => {
    if (!unlisted.has(symbol)) market(symbol);
    try {
      return Number(exchange.amountToPrecision(symbol, baseToContracts(amount, contractSize(symbol))));
    } catch {
      return 0;
    }
  };
  const amountToPrecision = (symbol: string, amount: number): number => contractsToBase(contractsFor(symbol, amount), contractSize(symbol));

  const network = networkOf(options);
  const fetchOrderNamed = async (symbol: string, params: Record<string, unknown>): Promise<any | null> => {
    try {
      return await ccxtCall(() => exchange.fetchOrder('', symbol, params));
    } catch (error) {
      if (error instanceof OrderNotFoundError) return null;
      throw error;
    }
  };
  const findInOrderLists = async (symbol: string, clientOrderId: string, params: Record<string, unknown>): Promise<any | null> => {
    for (const list of [() => exchange.fetchOpenOrders(symbol, undefined, undefined, params), () => exchange.fetchCanceledAndClosedOrders(symbol, undefined, undefined, params)]) {
      const found = (await ccxtCall(list)).find((o: any) => o.clientOrderId === clientOrderId);
      if (found) return found;
    }
    return null;
  };

  const throttled = exchange.enableRateLimit;
  let unthrottled = 0;

  const adapter = {
    id,
    mode: 'live' as const,
    ...(network ? { network } : {}),
    ...(practiceOf(options) ? { practice: practiceOf(options) } : {}),
    ...(options.credentials ? { keyFingerprint: keyFingerprint(options.credentials.apiKey) } : {}),
    capabilities,
    exchange,

    async loadMarkets(): Promise<MarketInfo[]> {
      // ccxt keeps answering a failed first load with that failure; until markets are in, each try loads afresh.
      const loaded = await ccxtCall(() => exchange.loadMarkets(exchange.markets === undefined));
      await refuseHedgeMode();
      const swaps = Object.values(loaded).filter((m: any) => m.swap && m.linear && m.settle === settle && m.active !== false);
      let tiers: Record<string, unknown> = {};
      if (capabilities.leverageTiers && options.credentials) {
        // A temporary failure (5xx, 429, a dropped connection) fails the load, so the caller's retry reads the tiers
        // again: markets left without tiers would refuse every entry until the next start.
        tiers = await ccxtCall(() => exchange.fetchLeverageTiers(swaps.map((m: any) => m.symbol))).catch((error: unknown) => {
          if (error instanceof TemporaryExchangeError) throw error;
          return {};
        });
      }
      markets.clear();
      for (const m of swaps as any[]) markets.set(m.symbol, toMarketInfo(m, toTiers(tiers[m.symbol] as any[]), tickSizeMode()));
      return [...markets.values()];
    },

    market,
    amountToPrecision,

    async closingMarket(symbol: string): Promise<MarketInfo> {
      const known = markets.get(symbol) ?? unlisted.get(symbol);
      if (known) return known;
      if (!exchange.markets?.[symbol]) await ccxtCall(() => exchange.loadMarkets(true));
      const m = exchange.markets?.[symbol];
      if (!m?.contract) throw new OrderRejectedError(`Unknown market ${symbol}: ${id} lists no such contract`);
      const info = toMarketInfo(m, [], tickSizeMode());
      unlisted.set(symbol, info);
      return info;
    },

    priceToPrecision(symbol: string, price: number): number {
      market(symbol);
      return Number(exchange.priceToPrecision(symbol, price));
    },

    async fetchBalance(): Promise<Balance> {
      return toBalance(await ccxtCall(() => exchange.fetchBalance()), settle);
    },

    async fetchTransfers(since: number): Promise<WalletTransfer[]> {
      const entries = await ccxtCall(() => exchange.fetchLedger(settle, since, 1000, { incomeType: 'TRANSFER' }));
      return entries
        .filter((e: any) => e.type === 'transfer' && Number.isFinite(e.amount) && typeof e.timestamp === 'number')
        .map((e: any) => ({ id: String(e.id), time: e.timestamp, amount: e.direction === 'out' ? -Math.abs(e.amount) : Math.abs(e.amount) }))
        .sort((a: WalletTransfer, b: WalletTransfer) => a.time - b.time);
    },

    async fetchPositions(): Promise<ExchangePosition[]> {
      const positions = await ccxtCall(() => exchange.fetchPositions());
      const parsed = positions.map(parse.position).filter((p): p is ExchangePosition => p !== null);
      for (const p of parsed) knownLeverage.set(p.symbol, p.leverage);
      streams.restPositions(parsed);
      return parsed;
    },

    async fetchOpenOrders(symbol?: string): Promise<Order[]> {
      const [normal, conditional] = await Promise.all([
        ccxtCall(() => exchange.fetchOpenOrders(symbol)),
        capabilities.separateConditionalOrders
          ? ccxtCall(() => exchange.fetchOpenOrders(symbol, undefined, undefined, { ...capabilities.conditionalQueryParams }))
          : Promise.resolve([]),
      ]);
      const seen = new Set<string>();
      return [...normal, ...conditional].map(parse.order).filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
    },

    async fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | null> {
      const kinds: Array<Record<string, unknown>> = [{}];
      if (capabilities.separateConditionalOrders) kinds.push(capabilities.conditionalQueryParams);
      const lookup = capabilities.clientIdLookup;
      for (const kind of kinds) {
        const found =
          lookup.via === 'fetchOrder'
            ? await fetchOrderNamed(symbol, { clientOrderId, ...kind })
            : await findInOrderLists(symbol, clientOrderId, { [lookup.param]: clientOrderId, ...kind });
        if (found && found.clientOrderId === clientOrderId) return parse.order(found);
      }
      return null;
    },

    async fetchOHLCV(symbol: string, timeframe: Timeframe, since?: number, limit?: number): Promise<Candle[]> {
      const rows = await ccxtCall(() => exchange.fetchOHLCV(symbol, timeframe, since, limit));
      return rows.map((row) => toCandle(row));
    },

    async fetchFills(symbol: string, since: number): Promise<Fill[]> {
      // Without a start time the exchanges answer with the newest fills; with one, with the oldest after it.
      const trades = await ccxtCall(() => exchange.fetchMyTrades(symbol, undefined, FILLS_PER_REQUEST));
      return trades
        .map((trade) => parse.fill(trade))
        .filter((fill) => fill.time >= since)
        .sort((a, b) => a.time - b.time);
    },

    async fetchFundingPayments(since: number): Promise<FundingPayment[]> {
      const entries = await ccxtCall(() => exchange.fetchFundingHistory(undefined, since, capabilities.fundingHistoryLimit));
      return entries
        .map((entry) => toFundingPayment(entry))
        .filter((p) => p.time >= since && markets.has(p.symbol))
        .sort((a, b) => a.time - b.time);
    },

    async fetchTicker(symbol: string): Promise<Ticker> {
      const [ticker, mark] = await Promise.all([
        ccxtCall(() => exchange.fetchTicker(symbol)),
        exchange.has['fetchMarkPrice'] ? ccxtCall(() => exchange.fetchMarkPrice(symbol)).catch(() => null) : Promise.resolve(null),
      ]);
      return toTicker({ ...ticker, ...(mark ? { markPrice: mark.markPrice, indexPrice: mark.indexPrice, info: { ...ticker.info, ...mark.info } } : {}) }, now());
    },

    async setLeverage(symbol: string, leverage: number): Promise<void> {
      await ccxtCall(() => exchange.setLeverage(leverage, symbol));
      knownLeverage.set(symbol, leverage);
    },

    async setMarginMode(symbol: string, mode: MarginMode): Promise<void> {
      try {
        await exchange.setMarginMode(mode, symbol);
      } catch (error) {
        if (error instanceof ccxt.NoChange || error instanceof ccxt.MarginModeAlreadySet) return;
        if (error instanceof ccxt.BaseError && /-4046|No need to change margin type/i.test(error.message)) return;
        throw fromCcxtError(error);
      }
    },

    async modifyMargin(symbol: string, amount: number, direction: 'add' | 'reduce'): Promise<number> {
      const answer = await ccxtCall(() => (direction === 'add' ? exchange.addMargin(symbol, amount) : exchange.reduceMargin(symbol, amount)));
      if (answer.status === 'failed') throw new OrderRejectedError(`The exchange did not ${direction} margin on ${symbol}: ${JSON.stringify(answer.info)}`);
      return answer.amount ?? amount;
    },

    async createOrder(request: OrderRequest): Promise<Order> {
      const contracts = contractsFor(request.symbol, request.amount);
      if (contracts <= 0 && !request.closePosition) throw new OrderRejectedError(`Order ${request.clientOrderId}: amount ${request.amount} rounds to nothing on ${request.symbol}`);
      const type = request.type === 'limit' ? 'limit' : 'market';
      const price = request.type === 'limit' ? request.price : undefined;
      const created = await ccxtCall(() => exchange.createOrder(request.symbol, type, request.side, contracts, price, orderParams(request)), { creatingOrder: true });
      const order = parse.order({ ...created, symbol: created.symbol ?? request.symbol });
      return { ...order, clientOrderId: order.clientOrderId || request.clientOrderId, amount: order.amount || contractsToBase(contracts, contractSize(request.symbol)) };
    },

    async cancelOrder(order: Pick<Order, 'id' | 'symbol' | 'conditional'>): Promise<void> {
      const params = order.conditional && capabilities.separateConditionalOrders ? { ...capabilities.conditionalQueryParams } : {};
      await ccxtCall(() => exchange.cancelOrder(order.id, order.symbol, params));
    },

    async cancelAllOrders(symbol: string): Promise<number> {
      const [open] = await Promise.all([
        adapter.fetchOpenOrders(symbol),
        ccxtCall(() => exchange.cancelAllOrders(symbol)),
        capabilities.separateConditionalOrders ? ccxtCall(() => exchange.cancelAllOrders(symbol, { ...capabilities.conditionalQueryParams })) : undefined,
      ]);
      return open.length;
    },

    subscribe(subscription: StreamSubscription, listener: (event: ExchangeStreamEvent) => void): () => void {
      return streams.subscribe(subscription, listener);
    },

    async withoutThrottle<T>(work: () => Promise<T>): Promise<T> {
      unthrottled += 1;
      exchange.enableRateLimit = false;
      try {
        return await work();
      } finally {
        unthrottled -= 1;
        if (unthrottled === 0) exchange.enableRateLimit = throttled;
      }
    },

    rateLimit(): RateLimitState | null {
      const windowStart = now() - capabilities.requestWeightWindowMs;
      while (requestTimes.length && requestTimes[0]! < windowStart) requestTimes.shift();
      const header = capabilities.usedWeightHeader ? headerValue(exchange.last_response_headers, capabilities.usedWeightHeader) : null;
      return { used: header ?? requestTimes.length, limit: capabilities.requestWeightLimit, windowMs: capabilities.requestWeightWindowMs };
    },

    async close(): Promise<void> {
      await exchange.close();
    },
  };
  const streams = createCcxtStreams(exchange, {
    privateStreams: options.credentials !== null,
    settle,
    now,
    snapshotPositions: () => adapter.fetchPositions(),
    parse,
  });
  return adapter;
}

function headerValue(headers: unknown, name: string): number | null {
  if (!headers || typeof headers !== 'object') return null;
  for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
    if (key.toLowerCase() === name && Number.isFinite(Number(value))) return Number(value);
  }
  return null;
}

/** ccxt structures in the cockpit's terms, amounts in the base asset (ccxt's come in contracts). */
export interface Parsers {
  order(order: Record<string, any>): Order;
  fill(trade: Record<string, any>): Fill;
  /** Null for a closed position. */
  position(position: Record<string, any>): ExchangePosition | null;
}
