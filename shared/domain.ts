/**
 * The nouns both sides of the cockpit speak about. Plain data only: these
 * objects cross the IPC and WebSocket transports as JSON.
 *
 * Symbols are ccxt unified symbols (`BTC/USDT:USDT`). Times are epoch
 * milliseconds. Amounts are in base-asset contracts (linear perpetuals).
 */

export type Side = 'long' | 'short';
export type OrderSide = 'buy' | 'sell';
export type MarginMode = 'isolated' | 'cross';
export type TriggerPriceType = 'mark' | 'last';
export type Mode = 'paper' | 'live';

/** The exchanges the cockpit trades on live, by ccxt id. */
export const LIVE_EXCHANGES = ['binanceusdm', 'bybit', 'okx'] as const;
export type LiveExchangeId = (typeof LIVE_EXCHANGES)[number];

/** Which exchange's published liquidation formula applies (see shared/risk/liquidation.ts). */
export type LiquidationFormula = 'binanceusdm' | 'bybit';

export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
};

export interface Candle {
  /** Open time of the bar. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One maintenance-margin tier, as Binance's leverageBracket describes it. */
export interface MarketTier {
  minNotional: number;
  maxNotional: number;
  maintenanceMarginRate: number;
  maintenanceAmount: number;
  maxLeverage: number;
}

/** What the cockpit needs to know of a market to size, round and check an order. */
export interface MarketInfo {
  symbol: string;
  /** The exchange's own id, e.g. `BTCUSDT`. */
  id: string;
  base: string;
  quote: string;
  settle: string;
  tickSize: number;
  amountStep: number;
  minAmount: number;
  maxAmount: number;
  /** Largest quantity a single market order may carry. */
  maxMarketAmount: number;
  minNotional: number;
  takerFee: number;
  makerFee: number;
  maxLeverage: number;
  tiers: MarketTier[];
}

export interface Ticker {
  symbol: string;
  last: number;
  mark: number;
  index: number;
  fundingRate: number;
  nextFundingTime: number;
  time: number;
}

/** One funding settlement on the account (Binance income type FUNDING_FEE): `amount` is received when positive, paid when negative. */
export interface FundingPayment {
  symbol: string;
  amount: number;
  time: number;
}

/** Funding as the cockpit shows it: the day's total, and each open position's since it opened. */
export interface FundingSummary {
  /** Net funding since 00:00 UTC over every symbol (received positive, paid negative); null until the exchange has answered. */
  today: number | null;
  /** Per open position: net funding since `openedAt` (received positive, paid negative). */
  positions: Array<{ symbol: string; openedAt: number; net: number }>;
  updatedAt: number;
}

export type PositionOrigin = 'bot' | 'manual';

export interface Position {
  symbol: string;
  side: Side;
  /** Absolute size in base asset. */
  contracts: number;
  entryPrice: number;
  markPrice: number;
  notional: number;
  unrealizedPnl: number;
  leverage: number;
  marginMode: MarginMode;
  initialMargin: number;
  maintenanceMargin: number;
  /** Isolated: the position's wallet as the exchange reports it (its margin, including margin added by hand). 0 in cross. */
  isolatedWallet: number;
  liquidationPrice: number | null;
  /** Percent of mark between mark and liquidation; null when there is no liquidation price. */
  distanceToLiquidationPct: number | null;
  /** `manual` when the bot did not open it (adopted on reconciliation). */
  origin: PositionOrigin;
  stopPrice: number | null;
  takeProfitPrice: number | null;
  updatedAt: number;
}

export type OrderType = 'market' | 'limit' | 'stop_market' | 'take_profit_market';
export type OrderStatus = 'open' | 'partially_filled' | 'filled' | 'canceled' | 'rejected' | 'expired';
/** What an order is for, in the cockpit's terms. */
export type OrderPurpose = 'entry' | 'stop' | 'take-profit' | 'close' | 'other';

export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  purpose: OrderPurpose;
  price: number | null;
  triggerPrice: number | null;
  triggerBy: TriggerPriceType | null;
  amount: number;
  filled: number;
  averagePrice: number | null;
  status: OrderStatus;
  reduceOnly: boolean;
  closePosition: boolean;
  /** Conditional (trigger) orders live apart on some exchanges, e.g. Binance algo orders. */
  conditional: boolean;
  timestamp: number;
}

export interface Fill {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  price: number;
  amount: number;
  fee: number;
  realizedPnl: number;
  time: number;
}

/** Names one fill, however it arrived (the stream, a snapshot, the exchange's fill history), so it is shown once. */
export const fillKey = (f: Fill): string => `${f.orderId}|${f.time}|${f.price}|${f.amount}`;

export interface AccountState {
  currency: string;
  walletBalance: number;
  /** Wallet balance plus unrealised PnL. */
  equity: number;
  unrealizedPnl: number;
  usedMargin: number;
  freeMargin: number;
  maintenanceMargin: number;
  /** Maintenance margin / margin balance; null with no positions. */
  marginRatio: number | null;
  realizedPnlToday: number;
  /** Total notional / equity. */
  effectiveLeverage: number;
  updatedAt: number;
}

export type PreTradeRule =
  | 'invalid-input'
  | 'risk-per-trade'
  | 'leverage-user-cap'
  | 'leverage-tier-max'
  /** Leverage was left to the planner and no leverage it may choose passes every check. */
  | 'leverage-none-passes'
  | 'reward-risk'
  | 'stop-side'
  | 'take-profit-side'
  | 'liquidation-buffer'
  | 'total-exposure'
  | 'position-notional'
  | 'free-margin'
  | 'market-limits'
  | 'breaker'
  /** The data folder cannot be written, so the entry could not be journalled first. */
  | 'data-disk';

export interface CheckViolation {
  rule: PreTradeRule;
  /** A sentence a trader understands. */
  message: string;
}

export interface Verdict {
  ok: boolean;
  violations: CheckViolation[];
}

export type ProposalStatus =
  | 'pending'
  | 'executing'
  | 'executed'
  | 'rejected'
  | 'refused'
  | 'expired'
  | 'failed';

/** What sizing and checking a trade yields (shared/risk/trade-plan.ts computes it). */
export interface PlanFigures {
  /** Base-asset quantity, rounded down to the amount step. 0 when the trade cannot be sized. */
  quantity: number;
  notional: number;
  /** Initial margin: notional / leverage. */
  margin: number;
  /** quantity × |entry − stop|, fees excluded. */
  riskAmount: number;
  rewardRisk: number;
  liquidationPrice: number | null;
  /** Percent of entry between entry and the liquidation price; null without one. */
  distanceToLiquidationPct: number | null;
  /** Taker fees of the entry and of a stop-out exit. */
  estimatedFees: number;
  verdict: Verdict;
}

/** Which risk per trade sized a proposal, and where the figure came from. */
export interface RiskFigure {
  /** The fraction of equity the proposal risks (0.01 = 1%). */
  fraction: number;
  /**
   * `global`: the risk setting, as no strategy declared one; `strategy`: the
   * strategy's own figure; `capped`: the strategy's figure was above the global
   * setting, which sized it instead.
   */
  source: 'global' | 'strategy' | 'capped';
  /** The strategy's own figure, when it declared one. */
  declared: number | null;
}

export interface Proposal extends PlanFigures {
  id: string;
  /** Strategy id, or `manual` for a ticket. */
  source: string;
  reason: string;
  symbol: string;
  side: Side;
  entry: number;
  stop: number;
  takeProfit: number;
  leverage: number;
  /** The risk per trade that sized it; absent on a proposal that sizes nothing (one that only closes). */
  risk?: RiskFigure;
  status: ProposalStatus;
  /** Why it was refused, failed, rejected or expired. */
  statusReason: string | null;
  auto: boolean;
  createdAt: number;
  expiresAt: number;
  /** The strategy's record when it proposed this; absent on a manual ticket. */
  record?: ProposalRecord;
  /**
   * What the position would pay per 8-hour funding settlement at the current rate (negative: receive);
   * null when the rate is not known yet. Not in `riskAmount`: how many settlements the position sees is not known.
   */
  fundingPer8h?: number | null;
  /**
   * `close` when a strategy asks to close its open position on `symbol` (an
   * exit signal): approving closes the whole position reduce-only. Absent for
   * an entry. The figures then describe the position being closed.
   */
  kind?: 'close';
}

export type BreakerAction = 'none' | 'block-entries' | 'reduce' | 'close' | 'flatten';
export type BreakerStateKind = 'armed' | 'warning' | 'tripped';

export interface BreakerView {
  id: string;
  label: string;
  state: BreakerStateKind;
  /** What the breaker does when it trips. */
  action: BreakerAction;
  value: number | null;
  threshold: number;
  unit: '%' | 'x' | 'count' | 'USDT';
  reason: string | null;
  trippedAt: number | null;
  /** null while armed, or when tripped until an explicit reset. */
  trippedUntil: number | null;
  /** True when only an explicit user reset re-arms it. */
  needsReset: boolean;
  /** Set when the breaker is switched off in the settings (it still shows its value, and never trips). */
  off?: boolean;
}

export interface JournalEntry {
  seq: number;
  time: number;
  type: string;
  data: unknown;
}

export type FlattenSymbolStatus = 'pending' | 'working' | 'flat' | 'failed';

export interface FlattenSymbolProgress {
  symbol: string;
  status: FlattenSymbolStatus;
  ordersCancelled: number;
  closedContracts: number;
  remainingContracts: number;
  remainingOrders: number;
  errors: string[];
}

export interface FlattenReport {
  id: string;
  reason: string;
  startedAt: number;
  finishedAt: number | null;
  attempts: number;
  flat: boolean;
  symbols: FlattenSymbolProgress[];
  /** What remains and why, in words; empty when flat. */
  remaining: string[];
  /**
   * Set when the journal could not record part of this flatten (a full or failing disk): the flatten
   * went on regardless, and `flat` still says what the exchange reports. Absent or null when all was journalled.
   */
  journalFailure?: string | null;
}

/**
 * Whether the engine can write its data folder (journal, breaker state, settings, ledgers).
 * While it cannot, new entries are refused; closes, stop moves and the flatten still run.
 */
export interface DataDiskStatus {
  writable: boolean;
  /** Node's error code of the last failed write (`ENOSPC`, `EIO`, `EPERM`…); null while writable. */
  code: string | null;
  /** What cannot be written, e.g. `the journal`, `the breaker state`; empty while writable. */
  concerns: string[];
  /** The warning to show, e.g. "Data disk full: the journal cannot be written"; null while writable. */
  message: string | null;
  /** When writes began to fail; null while writable. */
  since: number | null;
}

export type ConnectionStateKind = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface RateLimitState {
  used: number;
  limit: number;
  windowMs: number;
}

export interface ConnectionState {
  state: ConnectionStateKind;
  mode: Mode;
  /** `paper`, or the ccxt exchange id in live mode. */
  exchange: string;
  detail: string | null;
  rateLimit: RateLimitState | null;
  since: number;
}

export type NotificationLevel = 'info' | 'warning' | 'critical';

export interface Notification {
  id: string;
  level: NotificationLevel;
  title: string;
  message: string;
  time: number;
}

/**
 * Kelly sizing offered beside the configured risk, from the account's closed
 * trades: fractions of equity to risk, each never above the risk per trade.
 */
export interface SizingSuggestion {
  /** Closed trades measured: the newest, up to a bound. */
  trades: number;
  /** Closed trades needed before Kelly is offered. */
  minTrades: number;
  /** The configured risk per trade, the cap on every fraction. */
  riskCap: number;
  /** null until `minTrades` trades have closed. */
  kelly: {
    winRate: number;
    averageWin: number;
    averageLoss: number;
    full: number;
    half: number;
    quarter: number;
  } | null;
}

export interface StrategyStatus {
  id: string;
  label: string;
  enabled: boolean;
  auto: boolean;
  running: boolean;
  /** Why every strategy is stopped (e.g. by the emergency flatten) until the user resumes them; null when not halted. */
  haltedReason: string | null;
  lastError: string | null;
}

export interface CredentialStatus {
  exchange: string | null;
  stored: boolean;
  /** e.g. `abcd…wxyz`; the key itself never leaves the main process. */
  maskedKey: string | null;
  encryption: 'os' | 'plaintext' | 'none';
  /** The keys are for the exchange's testnet. */
  testnet: boolean;
  /** The keys are for the exchange's demo trading. */
  demo: boolean;
  /**
   * A fingerprint of the API key (12 hex digits of its SHA-256; never the key): which account the
   * keys are for. Absent for keys stored by versions before one account per key.
   */
  fingerprint?: string;
}

/** One parameter a strategy file declares: its default and the bounds any value must keep. */
export interface StrategyParamSpec {
  name: string;
  default: number;
  min: number;
  max: number;
  /** Only whole numbers. */
  integer: boolean;
}

/** A strategy file in the strategies folder, as the engine last loaded it. */
export interface StrategyFileView {
  /** `file:` and the file's name, e.g. `file:breakout.ts`. */
  id: string;
  /** The file's name in the strategies folder. */
  file: string;
  /** From the file's export; null when it did not load. */
  label: string | null;
  timeframe: Timeframe | null;
  params: StrategyParamSpec[];
  /** Why the file cannot run (transpiling, loading, or its export is not a strategy); null when it loaded. */
  error: string | null;
  /** When the engine last read it. */
  loadedAt: number;
}

/** Where the strategy files live, and whether the host opened the folder for the user. */
export interface StrategyFolder {
  path: string;
  /** False when the host cannot open folders (headless): the path is then shown to copy. */
  opened: boolean;
}

/** A strategy's live results in the current account (paper, demo or real, kept apart). */
export interface LiveRecord {
  closedTrades: number;
  /** Fraction of closed trades with a positive net result (0..1). */
  winRate: number;
  /** Mean of each trade's net result over the money it risked at entry. */
  averageR: number;
}

/** The figures of a strategy's latest backtest on one symbol and timeframe. */
export interface BacktestRecord {
  trades: number;
  winRate: number;
  /** Gross profit over gross loss; null when there was no loss. */
  profitFactor: number | null;
  averageR: number;
  maxDrawdownPct: number;
  /** The period the backtest covers (first and last bar's open time). */
  from: number;
  to: number;
  /** When it ran. */
  ranAt: number;
}

/** The evidence shown beside a strategy's proposal; null parts mean no record yet. */
export interface ProposalRecord {
  strategy: string;
  symbol: string;
  timeframe: Timeframe;
  backtest: BacktestRecord | null;
  live: LiveRecord | null;
}

/** One round trip of a backtest, as the Backtest view lists it. */
export interface BacktestTradeView {
  symbol: string;
  side: Side;
  qty: number;
  leverage: number;
  entryTime: number;
  entryPrice: number;
  stop: number;
  takeProfit: number;
  exitTime: number;
  exitPrice: number;
  exitReason: 'stop' | 'take-profit' | 'exit-signal' | 'liquidation' | 'end-of-data' | 'breaker';
  /** Price PnL, fees excluded. */
  pnl: number;
  fees: number;
  /** Funding received (negative when paid). */
  funding: number;
  /** pnl − fees + funding. */
  net: number;
  /** Net over the money risked at entry; null when nothing was at risk. */
  r: number | null;
  entryReason: string;
  exitNote: string | null;
}

/** A backtest's figures, as the Backtest view shows them (see the README's Backtest section for each). */
export interface BacktestSummaryView {
  strategy: string;
  symbols: string[];
  timeframe: Timeframe;
  from: number;
  to: number;
  candles: number;
  trades: number;
  startBalance: number;
  finalEquity: number;
  returnPct: number;
  maxDrawdownPct: number;
  winRatePct: number;
  /** Gross profit ÷ gross loss of net trade results; null without a losing trade. */
  profitFactor: number | null;
  /** Mean net result per trade in R (net result ÷ risk at entry). */
  expectancyR: number;
  fees: number;
  /** Funding received, net (negative when paid). */
  funding: number;
  liquidations: number;
  /** Annualised (√365) mean ÷ standard deviation of daily returns; null with fewer than two days. */
  sharpe: number | null;
  /** Percent of bars with at least one position open. */
  exposurePct: number;
  breakerTrips: number;
}

/** A finished backtest: its figures, trades and equity curve (thinned to a few thousand points for the chart). */
export interface BacktestReport {
  summary: BacktestSummaryView;
  trades: BacktestTradeView[];
  equity: { time: number[]; equity: number[]; drawdownPct: number[] };
  /** True when it was cancelled: the figures cover the bars done. */
  cancelled: boolean;
}

export type BacktestPhase = 'fetching' | 'running' | 'done' | 'cancelled' | 'failed';

/** A backtest run from the Backtest view, as it goes. */
export interface BacktestJob {
  id: string;
  strategy: string;
  symbols: string[];
  timeframe: Timeframe;
  phase: BacktestPhase;
  /** 0–100: fetching history takes the first 30, the run the rest. */
  percent: number;
  /** What it is doing, or why it failed. */
  message: string;
  report: BacktestReport | null;
}
