import type { Candle, MarginMode, MarketInfo, Timeframe } from '../../../shared/domain';
import { roundDownToStep, roundToTick } from '../../../shared/risk/precision';
import { removableIsolatedMargin } from '../../../shared/risk/isolated-margin';
import { binanceErrors } from './binance-errors';
import { CandleBook, type CandleQuery } from './candle-book';
import { asOtherPosition, positionFigures, positionLiquidationPrice, type PositionFigures } from './margin';
import { FUNDING_INTERVAL_MS, MarkPriceModel, nextFundingTime } from './mark-price';
import { maxNotionalAtLeverage } from './markets';
import { checkClientOrderId, checkOrderRequest, decimalPlaces, GENERATED_CLIENT_ID_PREFIX, type CheckedOrder } from './order-rules';
import { applyTrade, FLAT, type Holding } from './position-ledger';
import { createRng } from './random';
import { seedFor } from './seed';
import { DEFAULT_SLIPPAGE, marketFillPrice, validateSlippageModel } from './slippage';
import type {
  PriceFeed,
  SimAccount,
  SimEvent,
  SimExchange,
  SimFill,
  SimFundingPayment,
  SimFundingRate,
  SimKline,
  SimMark,
  SimOptions,
  SimOrder,
  SimOrderRequest,
  SimPosition,
  SimSide,
  SimTransfer,
  SlippageModel,
} from './types';

const DEFAULT_TICK_MS = 1_000;
const DEFAULT_WARMUP_BARS = 500;
const DEFAULT_LEVERAGE = 20;
const DEFAULT_MARGIN_MODE: MarginMode = 'cross';
const DEFAULT_PARTICIPATION = 0.25;
const WARMUP_STEP_MS = 15_000;
const VOLUME_AVERAGE_MS = 5 * 60_000;
const MAX_OPEN_ORDERS = 200;
const MAX_CONDITIONAL_ORDERS = 10;
/** Money below this is float noise, not a shortfall. */
const MONEY_EPSILON = 1e-9;

interface SymbolBook {
  market: MarketInfo;
  normalize: (quantity: number) => number;
  model: MarkPriceModel;
  candles: CandleBook;
  last: number;
  lastTime: number;
  tickVolume: number;
  volumePerMinute: number;
  leverage: number;
  marginMode: MarginMode;
  holding: Holding;
  isolatedWallet: number;
  positionTime: number;
  fundings: SimFundingRate[];
}

type Which = 'normal' | 'conditional' | 'all';

const copy = <T extends object>(value: T): T => ({ ...value });
const opposite = (side: SimSide): SimSide => (side === 'BUY' ? 'SELL' : 'BUY');
const signOf = (side: SimSide): number => (side === 'BUY' ? 1 : -1);
const isOpen = (order: SimOrder): boolean => order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
const matches = (order: SimOrder, which: Which): boolean => which === 'all' || (which === 'conditional') === order.conditional;

function requirePositiveNumber(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Simulator: ${name} must be a finite number above zero, got ${value}`);
}

/**
 * The simulated USDⓈ-M exchange. Prices move only when {@link SimExchange.advanceTo} is called; each
 * tick it reads the feed, updates index and mark, fills resting limits, fires triggers, settles
 * funding at 00:00/08:00/16:00 UTC and liquidates on the mark price, in that order.
 */
class SimulatedExchange implements SimExchange {
  private readonly books = new Map<string, SymbolBook>();
  private readonly orders = new Map<number, SimOrder>();
  private readonly open = new Map<number, SimOrder>();
  private readonly orderByClientId = new Map<string, number>();
  private readonly fillLog: SimFill[] = [];
  private readonly fundingLog: SimFundingPayment[] = [];
  private readonly listeners = new Set<(event: SimEvent) => void>();
  private readonly feed: PriceFeed;
  private readonly tick: number;
  private readonly slippage: SlippageModel;
  private readonly participation: number;
  private readonly fundingRateSeries: SimOptions['fundingRateSeries'];
  private clock: number;
  private nextTick: number;
  private nextFunding: number;
  private crossWallet: number;
  private readonly transferLog: SimTransfer[] = [];
  private orderSeq = 0;
  private tradeSeq = 0;

  constructor(options: SimOptions) {
    if (!options.markets.length) throw new Error('Simulator: at least one market is required');
    requirePositiveNumber('startTime', options.startTime);
    if (!Number.isFinite(options.startBalance) || options.startBalance < 0) throw new Error(`Simulator: startBalance must be a finite number at or above zero, got ${options.startBalance}`);
    this.tick = options.tickMs ?? DEFAULT_TICK_MS;
    requirePositiveNumber('tickMs', this.tick);
    this.slippage = options.slippage ?? DEFAULT_SLIPPAGE;
    validateSlippageModel(this.slippage);
    this.participation = options.limitParticipation ?? DEFAULT_PARTICIPATION;
    if (!(this.participation > 0 && this.participation <= 1)) throw new Error(`Simulator: limitParticipation must be in (0, 1], got ${this.participation}`);
    const warmupBars = options.warmupBars ?? DEFAULT_WARMUP_BARS;
    if (!Number.isInteger(warmupBars) || warmupBars < 0) throw new Error(`Simulator: warmupBars must be a whole number at or above zero, got ${warmupBars}`);
    this.feed = options.feed;
    this.fundingRateSeries = options.fundingRateSeries;
    this.crossWallet = options.startBalance;
    this.clock = options.startTime;
    for (const market of options.markets) {
      if (this.books.has(market.symbol)) throw new Error(`Simulator: market ${market.symbol} is listed twice`);
      const premium = options.premium;
      const rng = createRng(seedFor(options.seed, `premium:${market.symbol}`));
      const stepDecimals = decimalPlaces(market.amountStep);
      this.books.set(market.symbol, {
        market,
        normalize: (q) => Number(q.toFixed(stepDecimals)),
        model: new MarkPriceModel(rng, premium ? (time) => premium(market.symbol, time) : undefined),
        candles: new CandleBook(),
        last: 0,
        lastTime: 0,
        tickVolume: 0,
        volumePerMinute: 0,
        leverage: Math.min(DEFAULT_LEVERAGE, market.maxLeverage),
        marginMode: DEFAULT_MARGIN_MODE,
        holding: FLAT,
        isolatedWallet: 0,
        positionTime: options.startTime,
        fundings: [],
      });
    }
    const warmupStart = options.startTime - warmupBars * 60_000;
    this.nextFunding = nextFundingTime(warmupStart);
    this.warmUp(warmupStart, options.startTime);
    this.nextTick = (Math.floor(options.startTime / this.tick) + 1) * this.tick;
  }

  now(): number {
    return this.clock;
  }

  tickMs(): number {
    return this.tick;
  }

  advanceTo(time: number): void {
    if (!Number.isFinite(time)) throw new Error(`Simulator: advanceTo needs a finite time, got ${time}`);
    while (this.nextTick <= time) {
      const at = this.nextTick;
      this.clock = at;
      this.processTick(at);
      this.nextTick = at + this.tick;
    }
    this.clock = Math.max(this.clock, time);
  }

  markets(): MarketInfo[] {
    return [...this.books.values()].map((b) => b.market);
  }

  market(symbol: string): MarketInfo {
    return this.book(symbol).market;
  }

  mark(symbol: string): SimMark {
    return this.markOf(this.book(symbol));
  }

  candles(symbol: string, timeframe: Timeframe, options?: CandleQuery): Candle[] {
    return this.book(symbol).candles.candles(timeframe, options);
  }

  klines(symbol: string, timeframe: Timeframe, options?: CandleQuery): SimKline[] {
    return this.book(symbol).candles.klines(timeframe, options);
  }

  fundingRates(symbol: string, options: CandleQuery = {}): SimFundingRate[] {
    const all = this.book(symbol).fundings.filter(
      (f) => (options.since === undefined || f.fundingTime >= options.since) && (options.until === undefined || f.fundingTime <= options.until),
    );
    const limit = options.limit ?? 100;
    return (options.since !== undefined ? all.slice(0, limit) : all.slice(Math.max(0, all.length - limit))).map(copy);
  }

  account(): SimAccount {
    let unrealizedPnl = 0;
    let crossUnrealized = 0;
    let positionMargin = 0;
    let crossMargin = 0;
    let maintenance = 0;
    let isolatedWallets = 0;
    for (const book of this.books.values()) {
      const figures = this.figures(book);
      unrealizedPnl += figures.unrealizedPnl;
      positionMargin += figures.initialMargin;
      maintenance += figures.maintenanceMargin;
      isolatedWallets += book.isolatedWallet;
      if (book.marginMode === 'cross') {
        crossUnrealized += figures.unrealizedPnl;
        crossMargin += figures.initialMargin;
      }
    }
    const orderMargin = this.openOrderMargin();
    const walletBalance = this.crossWallet + isolatedWallets;
    return {
      asset: 'USDT',
      walletBalance,
      unrealizedPnl,
      marginBalance: walletBalance + unrealizedPnl,
      availableBalance: Math.max(0, this.crossWallet + crossUnrealized - crossMargin - orderMargin),
      initialMargin: positionMargin + orderMargin,
      maintenanceMargin: maintenance,
      crossWalletBalance: this.crossWallet,
    };
  }

  positions(): SimPosition[] {
    const books = [...this.books.values()];
    const figures = new Map(books.map((book) => [book, this.figures(book)]));
    return books.map((book) => this.positionOf(book, figures));
  }

  leverage(symbol: string): number {
    return this.book(symbol).leverage;
  }

  setLeverage(symbol: string, leverage: number): { leverage: number; maxNotionalValue: number } {
    const book = this.book(symbol);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > book.market.maxLeverage) throw binanceErrors.invalidLeverage(leverage);
    const maxNotionalValue = maxNotionalAtLeverage(book.market, leverage);
    if (this.figures(book).notional > maxNotionalValue) throw binanceErrors.exceededMaxPosition();
    if (book.marginMode === 'isolated' && book.holding.amt !== 0 && leverage < book.leverage) throw binanceErrors.leverageReductionIsolated();
    book.leverage = leverage;
    return { leverage, maxNotionalValue };
  }

  marginMode(symbol: string): MarginMode {
    return this.book(symbol).marginMode;
  }

  setMarginMode(symbol: string, mode: MarginMode): void {
    const book = this.book(symbol);
    if (mode !== 'isolated' && mode !== 'cross') throw binanceErrors.mandatoryParameter('marginType');
    if (book.marginMode === mode) throw binanceErrors.noNeedToChangeMarginType();
    if (this.openOrders(symbol).length) throw binanceErrors.marginTypeOpenOrders();
    if (book.holding.amt !== 0) throw binanceErrors.marginTypeOpenPosition();
    book.marginMode = mode;
  }

  modifyIsolatedMargin(symbol: string, amount: number, direction: 'add' | 'reduce'): number {
    const book = this.book(symbol);
    if (!Number.isFinite(amount) || amount <= 0) throw binanceErrors.amountNotPositive();
    const isolated = book.marginMode === 'isolated' && book.holding.amt !== 0;
    if (direction === 'add') {
      if (!isolated) throw binanceErrors.noIsolatedPosition();
      if (amount > this.account().availableBalance + MONEY_EPSILON) throw binanceErrors.crossBalanceInsufficient();
      this.crossWallet -= amount;
      book.isolatedWallet += amount;
    } else {
      if (!isolated) throw binanceErrors.isolatedBalanceInsufficient();
      const figures = this.figures(book);
      if (amount > removableIsolatedMargin({ ...figures, isolatedWallet: book.isolatedWallet }) + MONEY_EPSILON) throw binanceErrors.isolatedBalanceInsufficient();
      book.isolatedWallet -= amount;
      this.crossWallet += amount;
    }
    this.emitAccount('ISOLATED_MARGIN_CHANGE');
    return amount;
  }

  placeOrder(request: SimOrderRequest): SimOrder {
    const book = this.book(request.symbol);
    if (request.clientOrderId !== undefined) {
      checkClientOrderId(request.clientOrderId);
      const existing = this.orderByClientId.get(request.clientOrderId);
      if (existing !== undefined && this.open.has(existing)) throw binanceErrors.duplicateClientOrderId();
    }
    const checked = checkOrderRequest(book.market, request, book.last);
    this.checkOrderLimits(book, checked);
    if (checked.reduceOnly) this.checkReduceOnly(book, checked.side, checked.quantity);
    if (checked.conditional && this.triggered(book, checked.side, checked.type, checked.stopPrice, checked.workingType)) {
      throw binanceErrors.wouldTriggerImmediately();
    }
    const crosses = checked.type === 'LIMIT' && this.limitCrosses(book, checked.side, checked.price);
    if (checked.type === 'LIMIT' && checked.timeInForce === 'GTX' && crosses) throw binanceErrors.postOnlyWouldTake();
    const executesNow = checked.type === 'MARKET' || crosses;
    if (!checked.reduceOnly && !checked.conditional) {
      const reference = checked.type === 'LIMIT' ? checked.price : book.last;
      this.checkMargin(book, checked.side, checked.quantity, reference, executesNow ? book.market.takerFee : 0, !executesNow);
    }

    const order = this.createOrder(book, checked, request.clientOrderId);
    this.emit({ type: 'order', order: copy(order), fill: null });
    if (executesNow) {
      const slipped = this.takerPrice(book, checked.side, checked.quantity);
      const price = checked.type === 'LIMIT' ? (checked.side === 'BUY' ? Math.min(slipped, checked.price) : Math.max(slipped, checked.price)) : slipped;
      this.execute(book, order, checked.quantity, price, book.market.takerFee, false);
      this.emitAccount('ORDER');
    } else if (checked.type === 'LIMIT' && checked.timeInForce !== 'GTC' && checked.timeInForce !== 'GTX') {
      this.finish(order, 'EXPIRED');
    }
    return copy(order);
  }

  cancelOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }): SimOrder {
    const order = this.find(symbol, ref);
    if (!order || !isOpen(order)) throw binanceErrors.unknownOrderCancel();
    this.finish(order, 'CANCELED');
    return copy(order);
  }

  cancelAllOrders(symbol: string, which: Which = 'all'): SimOrder[] {
    this.book(symbol);
    const open = this.openOrderRecords(symbol, which);
    for (const order of open) this.finish(order, 'CANCELED');
    return open.map(copy);
  }

  getOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }): SimOrder {
    const order = this.find(symbol, ref);
    if (!order) throw binanceErrors.unknownOrderQuery();
    return copy(order);
  }

  openOrders(symbol?: string, which: Which = 'all'): SimOrder[] {
    if (symbol !== undefined) this.book(symbol);
    return this.openOrderRecords(symbol, which).map(copy);
  }

  fills(symbol?: string): SimFill[] {
    if (symbol !== undefined) this.book(symbol);
    return this.fillLog.filter((f) => symbol === undefined || f.symbol === symbol).map(copy);
  }

  /** The account's funding payments (Binance income type FUNDING_FEE), oldest first: `payment` is received when positive. */
  fundingPayments(symbol?: string): SimFundingPayment[] {
    if (symbol !== undefined) this.book(symbol);
    return this.fundingLog.filter((f) => symbol === undefined || f.symbol === symbol).map(copy);
  }

  adjustBalance(amount: number): void {
    if (!Number.isFinite(amount)) throw new Error(`Simulator: adjustBalance needs a finite amount, got ${amount}`);
    if (this.crossWallet + amount < 0) throw binanceErrors.marginInsufficient();
    this.crossWallet += amount;
    this.transferLog.push({ id: this.transferLog.length + 1, amount, time: this.clock });
    this.emitAccount(amount >= 0 ? 'DEPOSIT' : 'WITHDRAW');
  }

  transfers(): SimTransfer[] {
    return this.transferLog.map((t) => ({ ...t }));
  }

  subscribe(listener: (event: SimEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private book(symbol: string): SymbolBook {
    const book = this.books.get(symbol);
    if (!book) throw binanceErrors.invalidSymbol();
    return book;
  }

  private emit(event: SimEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  private emitAccount(reason: 'ORDER' | 'FUNDING_FEE' | 'LIQUIDATION' | 'ISOLATED_MARGIN_CHANGE' | 'DEPOSIT' | 'WITHDRAW'): void {
    if (this.listeners.size === 0) return;
    this.emit({ type: 'account', reason, account: this.account(), positions: this.positions() });
  }

  private warmUp(from: number, to: number): void {
    const bars = Math.round((to - from) / 60_000);
    for (const book of this.books.values()) {
      const history = bars > 0 && this.feed.history ? this.feed.history(book.market.symbol, to, bars) : [];
      for (const bar of history) this.observe(book, bar.time + 60_000 - 1, bar.close, bar.volume, false);
      book.candles.recordBars(history);
    }
    const step = Math.max(WARMUP_STEP_MS, this.tick);
    for (let time = from; time < to; time += step) {
      for (const book of this.books.values()) if (book.lastTime < time) this.observe(book, time, ...this.read(book, time), true);
      this.settleFunding(time, false);
    }
    for (const book of this.books.values()) this.observe(book, to, ...this.read(book, to), true);
    this.settleFunding(to, false);
  }

  private read(book: SymbolBook, time: number): [number, number] {
    const { price, volume } = this.feed.next(book.market.symbol, time);
    if (!Number.isFinite(price) || price <= 0) throw new Error(`Price feed gave ${price} for ${book.market.symbol} at ${time}: a price must be above zero`);
    if (!Number.isFinite(volume) || volume < 0) throw new Error(`Price feed gave volume ${volume} for ${book.market.symbol} at ${time}: volume must not be negative`);
    return [price, volume];
  }

  private observe(book: SymbolBook, time: number, rawPrice: number, volume: number, recordCandle: boolean): ReturnType<CandleBook['record']> {
    const last = Math.max(roundToTick(rawPrice, book.market.tickSize), book.market.tickSize);
    const dt = book.lastTime === 0 ? 0 : time - book.lastTime;
    if (dt > 0) {
      const rate = (volume / dt) * 60_000;
      book.volumePerMinute = book.volumePerMinute === 0 ? rate : book.volumePerMinute + (rate - book.volumePerMinute) * (1 - Math.exp(-dt / VOLUME_AVERAGE_MS));
    }
    book.last = last;
    book.lastTime = time;
    book.tickVolume = volume;
    book.model.update(last, time);
    return recordCandle ? book.candles.record(time, last, volume) : [];
  }

  private processTick(time: number): void {
    let changed = false;
    for (const book of this.books.values()) {
      const updates = this.observe(book, time, ...this.read(book, time), true);
      if (this.listeners.size) for (const update of updates) this.emit({ type: 'kline', symbol: book.market.symbol, ...update });
      changed = this.fillRestingLimits(book) || changed;
      changed = this.fireTriggers(book) || changed;
      if (this.listeners.size) this.emit({ type: 'mark', mark: this.markOf(book) });
    }
    if (changed) this.emitAccount('ORDER');
    this.settleFunding(time, true);
    this.liquidate();
  }

  private markOf(book: SymbolBook): SimMark {
    const state = book.model.current();
    return {
      symbol: book.market.symbol,
      markPrice: state.mark,
      indexPrice: state.index,
      lastPrice: book.last,
      fundingRate: book.model.predictedFundingRate(),
      nextFundingTime: this.nextFunding,
      time: book.lastTime,
    };
  }

  private figures(book: SymbolBook): PositionFigures {
    return positionFigures(book.holding, book.model.current().mark, book.leverage, book.market.tiers);
  }

  /** `known`: figures already worked out for this moment (every position's, when all are listed at once). */
  private positionOf(book: SymbolBook, known?: ReadonlyMap<SymbolBook, PositionFigures>): SimPosition {
    const figuresOf = (b: SymbolBook) => known?.get(b) ?? this.figures(b);
    const mark = book.model.current().mark;
    const figures = figuresOf(book);
    const isolated = book.marginMode === 'isolated';
    const others = isolated
      ? []
      : [...this.books.values()]
          .filter((other) => other !== book && other.marginMode === 'cross' && other.holding.amt !== 0)
          .map((other) => asOtherPosition(other.holding, other.model.current().mark, figuresOf(other)));
    return {
      symbol: book.market.symbol,
      positionAmt: book.holding.amt,
      entryPrice: book.holding.entryPrice,
      markPrice: mark,
      unrealizedPnl: figures.unrealizedPnl,
      notional: book.holding.amt * mark,
      leverage: book.leverage,
      marginMode: book.marginMode,
      isolatedWallet: isolated ? book.isolatedWallet : 0,
      initialMargin: figures.initialMargin,
      maintenanceMargin: figures.maintenanceMargin,
      liquidationPrice: positionLiquidationPrice({
        holding: book.holding,
        marginMode: book.marginMode,
        walletBalance: isolated ? book.isolatedWallet : this.crossWallet,
        tiers: book.market.tiers,
        others,
      }),
      updateTime: book.positionTime,
    };
  }

  private openOrderRecords(symbol: string | undefined, which: Which): SimOrder[] {
    return [...this.open.values()].filter((o) => (symbol === undefined || o.symbol === symbol) && matches(o, which));
  }

  /** Initial margin held by resting limit orders, over every symbol. */
  private openOrderMargin(): number {
    let margin = 0;
    for (const book of this.books.values()) margin += this.symbolOrderMargin(book);
    return margin;
  }

  /**
   * Initial margin one symbol's resting limit orders hold, as Binance counts it: per side, the part that
   * would open or add to the position; the larger side only, since both cannot fill into one position.
   */
  private symbolOrderMargin(book: SymbolBook, extra?: { side: SimSide; quantity: number; price: number }): number {
    const resting = this.openOrderRecords(book.market.symbol, 'normal')
      .filter((o) => !o.reduceOnly)
      .map((o) => ({ side: o.side, quantity: o.origQty - o.executedQty, price: o.price }));
    if (extra) resting.push(extra);
    const sideMargin = (side: SimSide): number => {
      const orders = resting.filter((o) => o.side === side);
      const quantity = orders.reduce((sum, o) => sum + o.quantity, 0);
      if (quantity === 0) return 0;
      const notional = orders.reduce((sum, o) => sum + o.quantity * o.price, 0);
      return (notional * this.increaseOf(book, side, quantity)) / quantity / book.leverage;
    };
    return Math.max(sideMargin('BUY'), sideMargin('SELL'));
  }

  private available(): number {
    let crossUnrealized = 0;
    let crossMargin = 0;
    for (const book of this.books.values()) {
      if (book.marginMode !== 'cross') continue;
      const figures = this.figures(book);
      crossUnrealized += figures.unrealizedPnl;
      crossMargin += figures.initialMargin;
    }
    return this.crossWallet + crossUnrealized - crossMargin - this.openOrderMargin();
  }

  private reduces(book: SymbolBook, side: SimSide): boolean {
    return book.holding.amt !== 0 && Math.sign(book.holding.amt) === -signOf(side);
  }

  /** The part of a trade that opens or adds to a position, as opposed to reducing it. */
  private increaseOf(book: SymbolBook, side: SimSide, quantity: number): number {
    return this.reduces(book, side) ? Math.max(0, quantity - Math.abs(book.holding.amt)) : quantity;
  }

  private checkOrderLimits(book: SymbolBook, checked: CheckedOrder): void {
    const open = this.openOrderRecords(book.market.symbol, checked.conditional ? 'conditional' : 'normal').length;
    if (checked.conditional && open >= MAX_CONDITIONAL_ORDERS) throw binanceErrors.maxStopOrders();
    if (!checked.conditional && open >= MAX_OPEN_ORDERS) throw binanceErrors.maxOpenOrders();
  }

  private checkReduceOnly(book: SymbolBook, side: SimSide, quantity: number): void {
    if (!this.reduces(book, side) || quantity > Math.abs(book.holding.amt)) throw binanceErrors.reduceOnlyRejected();
  }

  /** Rejects an order that would pass the leverage tier's cap, or that the available balance cannot margin. */
  private checkMargin(book: SymbolBook, side: SimSide, quantity: number, price: number, feeRate: number, resting = false): void {
    const increase = this.increaseOf(book, side, quantity);
    if (increase <= 0) return;
    const resulting = Math.abs(book.holding.amt + signOf(side) * quantity) * price;
    if (resulting > maxNotionalAtLeverage(book.market, book.leverage)) throw binanceErrors.exceededMaxPosition();
    const required = resting
      ? this.symbolOrderMargin(book, { side, quantity, price }) - this.symbolOrderMargin(book)
      : (increase * price) / book.leverage + quantity * price * feeRate;
    if (required > this.available() + MONEY_EPSILON) throw binanceErrors.marginInsufficient();
  }

  private limitCrosses(book: SymbolBook, side: SimSide, price: number): boolean {
    return side === 'BUY' ? book.last <= price : book.last >= price;
  }

  private triggered(book: SymbolBook, side: SimSide, type: SimOrder['type'], stopPrice: number, workingType: SimOrder['workingType']): boolean {
    const price = workingType === 'mark' ? book.model.current().mark : book.last;
    const rising = (type === 'STOP_MARKET') === (side === 'BUY');
    return rising ? price >= stopPrice : price <= stopPrice;
  }

  private takerPrice(book: SymbolBook, side: SimSide, quantity: number): number {
    const raw = marketFillPrice({ side, last: book.last, quantity, volumePerMinute: book.volumePerMinute, model: this.slippage });
    return Math.max(roundToTick(raw, book.market.tickSize), book.market.tickSize);
  }

  private createOrder(book: SymbolBook, checked: CheckedOrder, clientOrderId: string | undefined): SimOrder {
    const orderId = ++this.orderSeq;
    const order: SimOrder = {
      orderId,
      clientOrderId: clientOrderId ?? `${GENERATED_CLIENT_ID_PREFIX.unnamed}${orderId}`,
      symbol: book.market.symbol,
      side: checked.side,
      type: checked.type,
      status: 'NEW',
      price: checked.price,
      stopPrice: checked.stopPrice,
      workingType: checked.workingType,
      timeInForce: checked.timeInForce,
      origQty: checked.quantity,
      executedQty: 0,
      avgPrice: 0,
      cumQuote: 0,
      reduceOnly: checked.reduceOnly,
      closePosition: checked.closePosition,
      conditional: checked.conditional,
      time: this.clock,
      updateTime: this.clock,
    };
    this.orders.set(orderId, order);
    this.open.set(orderId, order);
    this.orderByClientId.set(order.clientOrderId, orderId);
    return order;
  }

  private finish(order: SimOrder, status: 'CANCELED' | 'EXPIRED'): void {
    order.status = status;
    order.updateTime = this.clock;
    this.open.delete(order.orderId);
    this.emit({ type: 'order', order: copy(order), fill: null });
  }

  private find(symbol: string, ref: { orderId?: number; clientOrderId?: string }): SimOrder | undefined {
    this.book(symbol);
    if (ref.orderId === undefined && ref.clientOrderId === undefined) throw binanceErrors.mandatoryParameter('orderId');
    const id = ref.orderId ?? this.orderByClientId.get(ref.clientOrderId!);
    const order = id === undefined ? undefined : this.orders.get(id);
    if (!order || order.symbol !== symbol) return undefined;
    if (ref.clientOrderId !== undefined && order.clientOrderId !== ref.clientOrderId) return undefined;
    return order;
  }

  /** Fills `quantity` of `order` at `price`: moves the position, the margin and the wallet, and reports it. */
  private execute(book: SymbolBook, order: SimOrder, quantity: number, price: number, feeRate: number, maker: boolean): SimFill {
    const before = book.holding;
    const outcome = applyTrade(before, signOf(order.side) * quantity, price, book.normalize);
    const fee = quantity * price * feeRate;
    if (book.marginMode === 'isolated') {
      if (outcome.closed > 0) {
        const release = book.isolatedWallet * (outcome.closed / Math.abs(before.amt));
        book.isolatedWallet -= release;
        this.crossWallet += release;
      }
      if (outcome.opened > 0) {
        const margin = (outcome.opened * price) / book.leverage;
        book.isolatedWallet += margin;
        this.crossWallet -= margin;
      }
      if (outcome.holding.amt === 0) {
        this.crossWallet += book.isolatedWallet;
        book.isolatedWallet = 0;
      }
    }
    this.crossWallet += outcome.realizedPnl - fee;
    book.holding = outcome.holding;
    book.positionTime = this.clock;

    order.executedQty = book.normalize(order.executedQty + quantity);
    order.cumQuote += quantity * price;
    order.avgPrice = order.cumQuote / order.executedQty;
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    if (order.status === 'FILLED') this.open.delete(order.orderId);
    order.updateTime = this.clock;
    const fill: SimFill = {
      tradeId: ++this.tradeSeq,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      price,
      quantity,
      commission: fee,
      realizedPnl: outcome.realizedPnl,
      maker,
      time: this.clock,
    };
    this.fillLog.push(fill);
    this.emit({ type: 'order', order: copy(order), fill: copy(fill) });
    return fill;
  }

  private fillRestingLimits(book: SymbolBook): boolean {
    const liquidity = { BUY: book.tickVolume * this.participation, SELL: book.tickVolume * this.participation };
    let filled = false;
    for (const order of this.openOrderRecords(book.market.symbol, 'normal')) {
      if (order.type !== 'LIMIT' || !this.limitCrosses(book, order.side, order.price)) continue;
      let quantity = Math.min(order.origQty - order.executedQty, liquidity[order.side]);
      if (order.reduceOnly) {
        if (!this.reduces(book, order.side)) {
          this.finish(order, 'EXPIRED');
          continue;
        }
        quantity = Math.min(quantity, Math.abs(book.holding.amt));
      }
      quantity = roundDownToStep(quantity, book.market.amountStep);
      if (quantity <= 0) continue;
      liquidity[order.side] -= quantity;
      this.execute(book, order, quantity, order.price, book.market.makerFee, true);
      filled = true;
    }
    return filled;
  }

  private fireTriggers(book: SymbolBook): boolean {
    let fired = false;
    for (const order of this.openOrderRecords(book.market.symbol, 'conditional')) {
      if (!this.triggered(book, order.side, order.type, order.stopPrice, order.workingType)) continue;
      fired = true;
      if (order.closePosition || order.reduceOnly) {
        if (!this.reduces(book, order.side)) {
          this.finish(order, 'EXPIRED');
          continue;
        }
        if (order.closePosition) order.origQty = Math.abs(book.holding.amt);
        const quantity = Math.min(order.origQty, Math.abs(book.holding.amt));
        this.execute(book, order, quantity, this.takerPrice(book, order.side, quantity), book.market.takerFee, false);
        if (order.executedQty < order.origQty) this.finish(order, 'EXPIRED');
        continue;
      }
      try {
        this.checkMargin(book, order.side, order.origQty, book.last, book.market.takerFee);
      } catch {
        this.finish(order, 'EXPIRED');
        continue;
      }
      this.execute(book, order, order.origQty, this.takerPrice(book, order.side, order.origQty), book.market.takerFee, false);
    }
    return fired;
  }

  private settleFunding(time: number, live: boolean): void {
    while (time >= this.nextFunding) {
      const fundingTime = this.nextFunding;
      let paid = false;
      for (const book of this.books.values()) {
        const mark = book.model.current().mark;
        const rate =
          this.fundingRateSeries?.(book.market.symbol, fundingTime) ?? this.feed.fundingRate?.(book.market.symbol, fundingTime) ?? book.model.predictedFundingRate();
        if (!Number.isFinite(rate)) throw new Error(`Funding rate of ${book.market.symbol} at ${fundingTime} must be a finite number, got ${rate}`);
        book.fundings.push({ symbol: book.market.symbol, fundingRate: rate, fundingTime, markPrice: mark });
        book.model.resetFundingAverage();
        if (!live || book.holding.amt === 0) continue;
        const payment = -book.holding.amt * mark * rate;
        if (book.marginMode === 'isolated') book.isolatedWallet += payment;
        else this.crossWallet += payment;
        paid = true;
        this.fundingLog.push({ symbol: book.market.symbol, rate, payment, time: fundingTime });
        this.emit({ type: 'funding', symbol: book.market.symbol, rate, payment, time: fundingTime });
      }
      this.nextFunding = fundingTime + FUNDING_INTERVAL_MS;
      if (paid) this.emitAccount('FUNDING_FEE');
    }
  }

  private liquidate(): void {
    let liquidated = false;
    for (const book of this.books.values()) {
      if (book.marginMode !== 'isolated' || book.holding.amt === 0) continue;
      const figures = this.figures(book);
      if (book.isolatedWallet + figures.unrealizedPnl > figures.maintenanceMargin) continue;
      this.closeAtBankruptcy(book, book.holding.entryPrice - book.isolatedWallet / book.holding.amt);
      liquidated = true;
    }
    const cross = [...this.books.values()].filter((b) => b.marginMode === 'cross' && b.holding.amt !== 0);
    if (cross.length) {
      const figures = cross.map((b) => this.figures(b));
      const marginBalance = this.crossWallet + figures.reduce((sum, f) => sum + f.unrealizedPnl, 0);
      const maintenance = figures.reduce((sum, f) => sum + f.maintenanceMargin, 0);
      if (marginBalance <= maintenance) {
        cross.forEach((book, i) => {
          const share = maintenance > 0 ? figures[i]!.maintenanceMargin / maintenance : 1 / cross.length;
          const mark = book.model.current().mark;
          this.closeAtBankruptcy(book, mark - (marginBalance * share) / book.holding.amt);
        });
        liquidated = true;
      }
    }
    if (liquidated) this.emitAccount('LIQUIDATION');
  }

  /** Closes a position at its bankruptcy price: the price at which its margin balance is zero. */
  private closeAtBankruptcy(book: SymbolBook, bankruptcyPrice: number): void {
    for (const order of this.openOrderRecords(book.market.symbol, 'all')) this.finish(order, 'CANCELED');
    const positionAmt = book.holding.amt;
    const side = opposite(positionAmt > 0 ? 'BUY' : 'SELL');
    const quantity = Math.abs(positionAmt);
    const order = this.createOrder(
      book,
      {
        symbol: book.market.symbol,
        side,
        type: 'MARKET',
        quantity,
        price: 0,
        stopPrice: 0,
        workingType: 'mark',
        timeInForce: 'IOC',
        reduceOnly: true,
        closePosition: false,
        conditional: false,
      },
      `${GENERATED_CLIENT_ID_PREFIX.liquidation}${this.orderSeq + 1}`,
    );
    const price = Math.max(bankruptcyPrice, 0);
    this.execute(book, order, quantity, price, 0, false);
    this.emit({ type: 'liquidation', symbol: book.market.symbol, positionAmt, bankruptcyPrice: price, order: copy(order) });
  }
}

/** Creates a simulated USDⓈ-M exchange with its warm-up history already generated. */
export function createSimExchange(options: SimOptions): SimExchange {
  return new SimulatedExchange(options);
}
