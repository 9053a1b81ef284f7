import type {
  Candle,
  LiquidationFormula,
  Fill,
  FundingPayment,
  MarginMode,
  MarketInfo,
  Order,
  OrderSide,
  OrderType,
  Position,
  RateLimitState,
  Side,
  Ticker,
  Timeframe,
  TriggerPriceType,
} from '../../../shared/domain';

/**
 * What differs between exchanges, as data. Behaviour differences live in a
 * few named hooks on the adapter, never in `if (exchange === ...)` upstream.
 */
export interface ExchangeCapabilities {
  /** Conditional orders are kept apart (Binance algo orders): list and cancel them separately. */
  separateConditionalOrders: boolean;
  /** The exchange can amend a conditional order in place. */
  amendConditionalOrders: boolean;
  /** Trigger on mark price is supported for stop and take-profit orders. */
  markPriceTriggers: boolean;
  /** Most funding payments one history request returns (Binance 1000, Bybit and OKX 100). */
  fundingHistoryLimit?: number;
  /** Longest client order id the exchange accepts. */
  maxClientOrderIdLength: number;
  /** `alphanumeric` when the exchange refuses separators in client order ids (OKX); `dashed` when absent. */
  clientOrderIdStyle?: 'dashed' | 'alphanumeric';
  /** Which published liquidation formula applies. */
  liquidationFormula: LiquidationFormula;
  /**
   * How long after it was sent a request can still be accepted: the exchange refuses one that
   * arrives later (Binance and Bybit: its `recvWindow`; OKX: 30 s), plus 1 s for a clock running
   * ahead. An order whose answer was lost and that can open a position is sent again only after this.
   */
  requestLifetimeMs: number;
}

/** An order request. Every order carries a deterministic client order id. */
export interface OrderRequest {
  symbol: string;
  side: OrderSide;
  type: OrderType;
  /** Base-asset amount; the adapter rounds it to the market's step before sending. */
  amount: number;
  price?: number;
  triggerPrice?: number;
  triggerBy?: TriggerPriceType;
  reduceOnly: boolean;
  closePosition?: boolean;
  clientOrderId: string;
}

/**
 * A position as the exchange reports it: the cockpit's {@link Position} without what the
 * cockpit adds (origin, protection, distance). `liquidationPrice` is the exchange's own figure.
 */
export type ExchangePosition = Pick<
  Position,
  | 'symbol'
  | 'side'
  | 'contracts'
  | 'entryPrice'
  | 'markPrice'
  | 'notional'
  | 'unrealizedPnl'
  | 'leverage'
  | 'marginMode'
  | 'initialMargin'
  | 'maintenanceMargin'
  | 'isolatedWallet'
  | 'liquidationPrice'
>;

export interface Balance {
  currency: string;
  walletBalance: number;
  unrealizedPnl: number;
  marginBalance: number;
  availableBalance: number;
  initialMargin: number;
  maintenanceMargin: number;
}

/** Everything the exchange pushes. Market data and account updates arrive here. */
export type ExchangeStreamEvent =
  | { type: 'ticker'; ticker: Ticker }
  | { type: 'candle'; symbol: string; timeframe: Timeframe; candle: Candle; closed: boolean }
  | { type: 'order'; order: Order }
  | { type: 'fill'; fill: Fill }
  /** Every open position (a full list: a symbol left out is flat). */
  | { type: 'positions'; positions: ExchangePosition[] }
  | { type: 'balance'; balance: Balance }
  | { type: 'liquidation'; symbol: string; side: Side; contracts: number; price: number }
  | { type: 'connection'; state: 'connected' | 'reconnecting' | 'disconnected'; detail: string | null };

export interface StreamSubscription {
  /** Symbols whose candles (for each of `timeframes`) and mark prices stream. */
  symbols: string[];
  timeframes: Timeframe[];
  /** Symbols whose mark prices stream, when more than `symbols` (positions on symbols not watched); `symbols` when absent. */
  marks?: string[];
}

/** One deposit (positive amount) or withdrawal (negative) to or from the futures wallet, in the settle currency. */
export interface WalletTransfer {
  id: string;
  time: number;
  amount: number;
}

/**
 * The one interface the engine uses to reach an exchange. Paper trading is
 * just another implementation: nothing upstream branches on paper versus live.
 *
 * Errors are thrown as {@link ExchangeError} subclasses (see ./errors.ts).
 */
export interface ExchangeAdapter {
  /** `paper`, or a ccxt exchange id such as `binanceusdm`. */
  readonly id: string;
  readonly mode: 'paper' | 'live';
  /**
   * The exchange's network, when it is not the main one: `testnet`, `demo`, or the host an
   * `exchangeUrl` points at (e.g. `127.0.0.1:8080` for `npm run venue`, `127.0.0.1:8080-demo` with demo keys).
   * With `mode` and `id` it names the account, so that state kept per account (breakers, closed
   * trades, the execution ledger) never crosses accounts.
   */
  readonly network?: string;
  /** The practice account the keys are for, when they are not for the real one. */
  readonly practice?: 'testnet' | 'demo';
  /**
   * A fingerprint of the API key (see `account/key-fingerprint.ts`; never the key), when the
   * adapter trades with one. With `mode`, `id` and `network` it names the account: two keys on
   * one exchange are two accounts.
   */
  readonly keyFingerprint?: string;
  readonly capabilities: ExchangeCapabilities;

  loadMarkets(): Promise<MarketInfo[]>;
  /** Requires {@link loadMarkets} first. Throws for an unknown symbol. */
  market(symbol: string): MarketInfo;
  /**
   * The market of a position the account holds, listed by {@link loadMarkets} or not (e.g. a
   * USDC-margined perpetual opened by hand beside the cockpit's USDT ones): built on demand from the
   * exchange's full market list, so the flatten can round and close it. Orders on it are accepted
   * afterwards; {@link market} still answers for the listed markets only. Throws when the exchange
   * has no such contract market.
   */
  closingMarket(symbol: string): Promise<MarketInfo>;
  /** Rounds an amount down to the market's step (ccxt `amountToPrecision`). */
  amountToPrecision(symbol: string, amount: number): number;
  /** Rounds a price to the market's tick (ccxt `priceToPrecision`). */
  priceToPrecision(symbol: string, price: number): number;

  fetchBalance(): Promise<Balance>;
  fetchPositions(): Promise<ExchangePosition[]>;
  /** Normal and conditional open orders, merged. */
  fetchOpenOrders(symbol?: string): Promise<Order[]>;
  /** Resolves an ambiguous outcome. Looks in normal and conditional orders; null when unknown. */
  fetchOrderByClientId(symbol: string, clientOrderId: string): Promise<Order | null>;
  fetchOHLCV(symbol: string, timeframe: Timeframe, since?: number, limit?: number): Promise<Candle[]>;
  fetchTicker(symbol: string): Promise<Ticker>;
  /**
   * Deposits (positive) and withdrawals (negative) to and from the futures wallet from `since`
   * (epoch ms) on, oldest first: Binance's income type TRANSFER (ccxt `fetchLedger`).
   */
  fetchTransfers(since: number): Promise<WalletTransfer[]>;
  /** The account's newest own fills on one symbol, those from `since` (epoch ms) on, oldest first (ccxt `fetchMyTrades`). */
  fetchFills(symbol: string, since: number): Promise<Fill[]>;
  /** The account's funding payments from `since` (epoch ms) on, every symbol, oldest first (ccxt `fetchFundingHistory`; Binance income FUNDING_FEE). */
  fetchFundingPayments(since: number): Promise<FundingPayment[]>;

  setLeverage(symbol: string, leverage: number): Promise<void>;
  setMarginMode(symbol: string, mode: MarginMode): Promise<void>;
  /**
   * Adds margin to (`add`) or removes it from (`reduce`) an isolated position, in the quote
   * currency (ccxt `addMargin` / `reduceMargin`; Binance `POST /fapi/v1/positionMargin`).
   * Resolves with the amount the exchange reports moved; the exchange's refusal is thrown.
   */
  modifyMargin(symbol: string, amount: number, direction: 'add' | 'reduce'): Promise<number>;

  createOrder(request: OrderRequest): Promise<Order>;
  cancelOrder(order: Pick<Order, 'id' | 'symbol' | 'conditional'>): Promise<void>;
  /** Cancels every normal and every conditional order on the symbol; returns how many. */
  cancelAllOrders(symbol: string): Promise<number>;

  /** Starts the push streams; events arrive at the listener until the returned stop is called. */
  subscribe(subscription: StreamSubscription, listener: (event: ExchangeStreamEvent) => void): () => void;
  rateLimit(): RateLimitState | null;
  /**
   * Runs `work` with any client-side request throttle lifted. The emergency flatten must never
   * queue behind routine traffic; the exchange's own rate-limit answers are still retried.
   */
  withoutThrottle<T>(work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
