/**
 * The seam between the simulated futures exchange (the core) and its two faces:
 * the in-process paper adapter and the Binance-compatible `npm run venue` server.
 *
 * The core is deterministic: it moves only when its clock is advanced, and the
 * same seed, markets and calls give the same fills, fees, funding and liquidations.
 * It speaks Binance USDⓈ-M semantics, and rejects with Binance's error codes.
 */
import type { Candle, MarginMode, MarketInfo, Timeframe, TriggerPriceType } from '../../../shared/domain';

export type SimSide = 'BUY' | 'SELL';
export type SimOrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'TAKE_PROFIT_MARKET';
export type SimOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
export type SimTimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX';

export interface SimOrderRequest {
  symbol: string;
  side: SimSide;
  type: SimOrderType;
  /** Required unless closePosition is set. */
  quantity?: number;
  price?: number;
  /** Trigger price of STOP_MARKET / TAKE_PROFIT_MARKET. */
  stopPrice?: number;
  workingType?: TriggerPriceType;
  timeInForce?: SimTimeInForce;
  reduceOnly?: boolean;
  /** Close the whole position when triggered (conditional orders only). */
  closePosition?: boolean;
  /** Idempotency: the same client id twice returns the first order, it never makes two. */
  clientOrderId?: string;
}

export interface SimOrder {
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: SimSide;
  type: SimOrderType;
  status: SimOrderStatus;
  price: number;
  stopPrice: number;
  workingType: TriggerPriceType;
  timeInForce: SimTimeInForce;
  origQty: number;
  executedQty: number;
  avgPrice: number;
  cumQuote: number;
  reduceOnly: boolean;
  closePosition: boolean;
  /** STOP_MARKET and TAKE_PROFIT_MARKET are conditional (Binance algo orders). */
  conditional: boolean;
  time: number;
  updateTime: number;
}

export interface SimPosition {
  symbol: string;
  /** Signed: positive long, negative short, 0 flat (one-way mode). */
  positionAmt: number;
  entryPrice: number;
  markPrice: number;
  unrealizedPnl: number;
  /** Signed like positionAmt (Binance's convention): positionAmt × markPrice. */
  notional: number;
  leverage: number;
  marginMode: MarginMode;
  /** Isolated: the position's wallet (margin incl. added margin). Cross: 0. */
  isolatedWallet: number;
  initialMargin: number;
  maintenanceMargin: number;
  liquidationPrice: number | null;
  updateTime: number;
}

export interface SimAccount {
  asset: 'USDT';
  walletBalance: number;
  unrealizedPnl: number;
  marginBalance: number;
  availableBalance: number;
  initialMargin: number;
  maintenanceMargin: number;
  crossWalletBalance: number;
}

export interface SimFill {
  tradeId: number;
  orderId: number;
  clientOrderId: string;
  symbol: string;
  side: SimSide;
  price: number;
  quantity: number;
  commission: number;
  realizedPnl: number;
  maker: boolean;
  time: number;
}

export interface SimMark {
  symbol: string;
  markPrice: number;
  indexPrice: number;
  lastPrice: number;
  fundingRate: number;
  nextFundingTime: number;
  time: number;
}

export type SimEvent =
  | { type: 'order'; order: SimOrder; fill: SimFill | null }
  | { type: 'account'; reason: 'ORDER' | 'FUNDING_FEE' | 'LIQUIDATION' | 'MARGIN_TYPE_CHANGE' | 'ISOLATED_MARGIN_CHANGE' | 'DEPOSIT' | 'WITHDRAW'; account: SimAccount; positions: SimPosition[] }
  | { type: 'liquidation'; symbol: string; positionAmt: number; bankruptcyPrice: number; order: SimOrder }
  | { type: 'funding'; symbol: string; rate: number; payment: number; time: number }
  | { type: 'kline'; symbol: string; timeframe: Timeframe; candle: Candle; quoteVolume: number; closed: boolean }
  | { type: 'mark'; mark: SimMark };

/** A candle with the quote-asset volume Binance's klines carry: Σ price × quantity of its trades. */
export interface SimKline extends Candle {
  quoteVolume: number;
}

/** A rejection with Binance's numeric error code and message, e.g. -2022 ReduceOnly Order is rejected. */
export class SimError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimError';
  }
}

/** A source of last prices for the core: synthetic, replayed or live. */
export interface PriceFeed {
  /** The last trade price of `symbol` at simulated time `time`, and the volume traded since the previous call. */
  next(symbol: string, time: number): { price: number; volume: number };
  /**
   * Optional: up to `bars` one-minute candles of `symbol` that closed at or before `until`, oldest first.
   * A feed that cannot replay the past at will (live data) offers its real history here; the core
   * then uses it as warm-up instead of sampling {@link next} at past times.
   */
  history?(symbol: string, until: number, bars: number): Candle[];
  /**
   * Optional: the simulated time after which the feed has no new prices (the last bar of a replay),
   * or undefined while that is not known. A feed that never ends (synthetic, live) has none.
   */
  end?(): number | undefined;
  /**
   * Optional: the funding rate `symbol` settles at `fundingTime`, for a feed that carries one (a replay
   * with a funding-rate column), or undefined to let the core derive it from the premium.
   */
  fundingRate?(symbol: string, fundingTime: number): number | undefined;
}

/** How far a market order's fill moves from the last price: a half spread plus an impact that grows with size. */
export interface SlippageModel {
  /** Fraction of price paid on every market fill (0.0001 = 1 bp). */
  halfSpread: number;
  /** Impact coefficient: slippage += impact × √(quantity ÷ recent volume per minute). */
  impact: number;
  /** Largest slippage, as a fraction of price (Binance's marketTakeBound is 0.05). */
  cap: number;
}

/** One funding payment of the account: `payment` is what the position received (negative: paid) at `time`. */
export interface SimFundingPayment {
  symbol: string;
  rate: number;
  payment: number;
  time: number;
}

/** One funding settlement: the rate applied at `fundingTime` and the mark price it was applied at. */
export interface SimFundingRate {
  symbol: string;
  fundingRate: number;
  fundingTime: number;
  markPrice: number;
}

export interface SimOptions {
  markets: MarketInfo[];
  feed: PriceFeed;
  startTime: number;
  startBalance: number;
  seed: number;
  /** Simulated milliseconds between price ticks. */
  tickMs?: number;
  /** One-minute bars of history generated before `startTime` (default 500). */
  warmupBars?: number;
  /** Market-order slippage (default: 1 bp half spread, impact 0.002, cap 5%). */
  slippage?: SlippageModel;
  /** Share of each tick's traded volume a resting limit order can take when price crosses it (default 0.25). */
  limitParticipation?: number;
  /**
   * The perpetual's premium over the index, (last − index) ÷ index, at `time`. Default: a seeded
   * mean-reverting process of a few basis points. Tests pin it to separate mark from last.
   */
  premium?: (symbol: string, time: number) => number;
  /**
   * A funding-rate series: the rate to settle at `fundingTime`, or undefined to use the feed's rate
   * ({@link PriceFeed.fundingRate}) or else the model's (average premium plus the clamped 0.01% interest, capped at ±0.3%).
   */
  fundingRateSeries?: (symbol: string, fundingTime: number) => number | undefined;
}

/** A deposit (positive) or withdrawal (negative) to or from the futures wallet. */
export interface SimTransfer {
  id: number;
  amount: number;
  time: number;
}

/** The simulated USDT-margined perpetual futures exchange. One account, one-way mode. */
export interface SimExchange {
  now(): number;
  /** Moves the clock forward, processing every tick, trigger, funding and liquidation on the way. */
  advanceTo(time: number): void;
  markets(): MarketInfo[];
  market(symbol: string): MarketInfo;
  mark(symbol: string): SimMark;
  candles(symbol: string, timeframe: Timeframe, options?: { since?: number; until?: number; limit?: number }): Candle[];
  /** As {@link SimExchange.candles}, each bar with its quote volume (Binance's klines). */
  klines(symbol: string, timeframe: Timeframe, options?: { since?: number; until?: number; limit?: number }): SimKline[];

  account(): SimAccount;
  /** One entry per market, flat ones included (positionAmt 0), like Binance's positionRisk. */
  positions(): SimPosition[];
  leverage(symbol: string): number;
  setLeverage(symbol: string, leverage: number): { leverage: number; maxNotionalValue: number };
  marginMode(symbol: string): MarginMode;
  setMarginMode(symbol: string, mode: MarginMode): void;
  /**
   * Adds margin to (`add`) or removes it from (`reduce`) an isolated position's wallet, as Binance's
   * `POST /fapi/v1/positionMargin` does: -4055 for an amount not above zero, -4054 adding to no isolated
   * position, -4051 removing more than the position can spare (its wallet, less any loss, above its
   * initial margin), -4050 adding more than the cross wallet has free. Returns the amount moved.
   */
  modifyIsolatedMargin(symbol: string, amount: number, direction: 'add' | 'reduce'): number;

  placeOrder(request: SimOrderRequest): SimOrder;
  cancelOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }): SimOrder;
  /** Cancels normal orders, conditional ones, or both (default both). */
  cancelAllOrders(symbol: string, which?: 'normal' | 'conditional' | 'all'): SimOrder[];
  getOrder(symbol: string, ref: { orderId?: number; clientOrderId?: string }): SimOrder;
  openOrders(symbol?: string, which?: 'normal' | 'conditional' | 'all'): SimOrder[];
  fills(symbol?: string): SimFill[];
  /** The account's funding payments so far, oldest first (Binance income type FUNDING_FEE): `payment` is received when positive. */
  fundingPayments(symbol?: string): SimFundingPayment[];

  /** Funding settlements of `symbol` so far, oldest first (Binance fundingRate history). */
  fundingRates(symbol: string, options?: { since?: number; until?: number; limit?: number }): SimFundingRate[];
  /** The simulated milliseconds between price ticks. */
  tickMs(): number;

  /** Credits (positive: a deposit) or debits (a withdrawal) the wallet with an external transfer, recorded and reported as Binance does. */
  adjustBalance(amount: number): void;
  /** Every external transfer so far, oldest first (Binance's income type TRANSFER). */
  transfers(): SimTransfer[];
  subscribe(listener: (event: SimEvent) => void): () => void;
}
