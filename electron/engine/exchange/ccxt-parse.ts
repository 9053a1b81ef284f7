import type { Candle, Fill, FundingPayment, MarketInfo, MarketTier, Order, OrderStatus, OrderType, Ticker, TriggerPriceType } from '../../../shared/domain';
import { withCumulativeAmounts } from '../../../shared/risk/tiers';
import { HARD_LEVERAGE_CEILING } from '../../../shared/settings';
import type { Balance, ExchangePosition } from './adapter';
import { orderPurpose } from './client-order-id';
import { contractSizeOf, contractsToBase } from './contract-size';

/** The loose shape of ccxt's unified structures: every field may be missing. */
type Loose = Record<string, any>;

const num = (value: unknown, fallback = 0): number => {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : fallback;
};
const numOrNull = (value: unknown): number | null => {
  const n = num(value, NaN);
  return Number.isFinite(n) && n !== 0 ? n : null;
};

/** ccxt precision is a tick size in TICK_SIZE mode and a count of decimals otherwise. */
function stepFromPrecision(precision: unknown, tickSizeMode: boolean): number {
  const p = num(precision, NaN);
  if (!Number.isFinite(p)) return 0;
  return tickSizeMode ? p : 10 ** -p;
}

/** A ccxt market in the cockpit's terms; ccxt's amount precision and limits count contracts, the cockpit's count the base asset. */
export function toMarketInfo(market: Loose, tiers: MarketTier[], tickSizeMode: boolean): MarketInfo {
  const limits = market.limits ?? {};
  const contractSize = contractSizeOf(market);
  const inBase = (contracts: unknown, fallback: number) => {
    const n = num(contracts, NaN);
    return Number.isFinite(n) ? contractsToBase(n, contractSize) : fallback;
  };
  const amountStep = contractsToBase(stepFromPrecision(market.precision?.amount, tickSizeMode), contractSize);
  const maxAmount = inBase(limits.amount?.max, Number.MAX_SAFE_INTEGER);
  const tierLeverage = tiers.length ? Math.max(...tiers.map((t) => t.maxLeverage)) : NaN;
  return {
    symbol: market.symbol,
    id: market.id,
    base: market.base,
    quote: market.quote,
    settle: market.settle ?? market.quote,
    tickSize: stepFromPrecision(market.precision?.price, tickSizeMode),
    amountStep,
    minAmount: inBase(limits.amount?.min, amountStep),
    maxAmount,
    maxMarketAmount: inBase(limits.market?.max, maxAmount),
    minNotional: num(limits.cost?.min, 0),
    takerFee: num(market.taker, 0.0005),
    makerFee: num(market.maker, 0.0002),
    maxLeverage: Number.isFinite(tierLeverage) ? tierLeverage : num(limits.leverage?.max, HARD_LEVERAGE_CEILING),
    tiers,
  };
}

/** The exchange's own maintenance amount of a tier: Binance's `cum`, Bybit's `mmDeduction`; undefined when it gives none. */
const ownMaintenanceAmount = (t: Loose): unknown => t.info?.cum ?? t.info?.maintenanceAmount ?? t.info?.mmDeduction;

/**
 * ccxt's leverage tiers as the app's tiers. The exchange's maintenance amounts are kept where it gives
 * them; where it gives only rates, they are derived as Binance publishes them (`withCumulativeAmounts`).
 */
export function toTiers(tiers: Loose[] | undefined): MarketTier[] {
  const list = tiers ?? [];
  const parsed = list.map((t) => ({
    minNotional: num(t.minNotional),
    maxNotional: num(t.maxNotional, Number.MAX_SAFE_INTEGER),
    maintenanceMarginRate: num(t.maintenanceMarginRate),
    maintenanceAmount: num(ownMaintenanceAmount(t), 0),
    maxLeverage: num(t.maxLeverage, 1),
  }));
  if (parsed.length === 0 || list.some((t) => ownMaintenanceAmount(t) !== undefined && ownMaintenanceAmount(t) !== '')) return parsed;
  const derived = withCumulativeAmounts(parsed);
  return parsed.map((tier, i) => ({ ...tier, maintenanceAmount: derived[i]!.maintenanceAmount }));
}

function orderStatus(status: unknown, filled: number): OrderStatus {
  switch (status) {
    case 'open':
      return filled > 0 ? 'partially_filled' : 'open';
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return 'open';
  }
}

function orderType(order: Loose, triggerPrice: number | null): OrderType {
  const raw = String(order.info?.type ?? order.info?.orderType ?? order.info?.o ?? order.info?.ot ?? order.info?.stopOrderType ?? order.type ?? '').toLowerCase();
  if (triggerPrice !== null || order.stopLossPrice || order.takeProfitPrice) {
    if (order.takeProfitPrice || raw.includes('take_profit') || raw.includes('takeprofit')) return 'take_profit_market';
    return 'stop_market';
  }
  return raw === 'limit' || order.type === 'limit' ? 'limit' : 'market';
}

function triggerBy(order: Loose, conditional: boolean): TriggerPriceType | null {
  if (!conditional) return null;
  const raw = String(order.info?.workingType ?? order.info?.wt ?? order.info?.triggerBy ?? order.info?.slTriggerPxType ?? order.info?.tpTriggerPxType ?? '').toLowerCase();
  return raw.includes('mark') ? 'mark' : 'last';
}

/** A ccxt order; `contractSize` is its market's (amounts come in contracts). */
export function toOrder(order: Loose, contractSize = 1): Order {
  const triggerPrice = numOrNull(order.triggerPrice ?? order.stopPrice ?? order.stopLossPrice ?? order.takeProfitPrice);
  const filled = contractsToBase(num(order.filled), contractSize);
  const type = orderType(order, triggerPrice);
  const conditional = type === 'stop_market' || type === 'take_profit_market';
  const clientOrderId = String(order.clientOrderId ?? '');
  const reduceOnly = Boolean(order.reduceOnly ?? (order.info?.reduceOnly === true || order.info?.R === true));
  const closePosition = [order.info?.closePosition, order.info?.cp].some((v) => v === true || v === 'true');
  return {
    id: String(order.id ?? ''),
    clientOrderId,
    symbol: order.symbol,
    side: order.side === 'sell' ? 'sell' : 'buy',
    type,
    purpose: orderPurpose({ clientOrderId, type, reduceOnly, closePosition }),
    price: numOrNull(order.price),
    triggerPrice,
    triggerBy: triggerBy(order, conditional),
    amount: contractsToBase(num(order.amount), contractSize),
    filled,
    averagePrice: numOrNull(order.average),
    status: orderStatus(order.status, filled),
    reduceOnly,
    closePosition,
    conditional,
    timestamp: num(order.timestamp ?? order.lastUpdateTimestamp, 0),
  };
}

/**
 * A ccxt position in the cockpit's terms. Binance's position stream (ACCOUNT_UPDATE)
 * carries neither leverage nor initial margin: `knownLeverage`, the symbol's leverage
 * as last set or read over REST, stands in for them rather than a silent 1x.
 * ccxt's `contracts` count contracts of `contractSize` base units; the cockpit's count the base asset.
 */
export function toPosition(position: Loose, knownLeverage?: number, contractSize = 1): ExchangePosition | null {
  const contracts = contractsToBase(Math.abs(num(position.contracts)), contractSize);
  if (contracts === 0) return null;
  const notional = Math.abs(num(position.notional));
  const reportedMargin = num(position.initialMargin);
  const reported = num(position.leverage, NaN);
  const leverage =
    Number.isFinite(reported) && reported > 0 ? reported : reportedMargin > 0 ? notional / reportedMargin : knownLeverage && knownLeverage > 0 ? knownLeverage : 1;
  const initialMargin = reportedMargin > 0 ? reportedMargin : notional / leverage;
  return {
    symbol: position.symbol,
    side: position.side === 'short' ? 'short' : 'long',
    contracts,
    entryPrice: num(position.entryPrice),
    markPrice: num(position.markPrice),
    notional,
    unrealizedPnl: num(position.unrealizedPnl),
    leverage,
    marginMode: position.marginMode === 'cross' ? 'cross' : 'isolated',
    initialMargin,
    maintenanceMargin: num(position.maintenanceMargin),
    liquidationPrice: numOrNull(position.liquidationPrice),
    isolatedWallet: num(position.info?.isolatedWallet ?? position.collateral, 0),
  };
}

/**
 * The settle-currency balance; Binance futures reports margin figures in `info`.
 * A figure the source does not carry (a stream update has the wallet only) is NaN:
 * the account book keeps its last known value for it.
 */
export function toBalance(balance: Loose, currency: string): Balance {
  const info = balance.info ?? {};
  const asset = (Array.isArray(info.assets) ? info.assets : []).find((a: Loose) => a.asset === currency) ?? {};
  const wallet = num(asset.walletBalance ?? info.totalWalletBalance ?? balance.total?.[currency], NaN);
  const unrealizedPnl = num(asset.unrealizedProfit ?? info.totalUnrealizedProfit, NaN);
  return {
    currency,
    walletBalance: wallet,
    unrealizedPnl,
    marginBalance: num(asset.marginBalance ?? info.totalMarginBalance, NaN),
    availableBalance: num(asset.availableBalance ?? info.availableBalance ?? balance.free?.[currency], NaN),
    initialMargin: num(asset.initialMargin ?? info.totalInitialMargin, NaN),
    maintenanceMargin: num(asset.maintMargin ?? info.totalMaintMargin, NaN),
  };
}

export function toTicker(ticker: Loose, now: number): Ticker {
  const last = num(ticker.last ?? ticker.close ?? ticker.markPrice);
  const mark = num(ticker.markPrice ?? ticker.info?.p ?? ticker.info?.markPrice, last);
  return {
    symbol: ticker.symbol,
    last: last || mark,
    mark,
    index: num(ticker.indexPrice ?? ticker.info?.i ?? ticker.info?.indexPrice, mark),
    fundingRate: num(ticker.info?.r ?? ticker.info?.lastFundingRate ?? ticker.fundingRate, 0),
    nextFundingTime: num(ticker.info?.T ?? ticker.info?.nextFundingTime, 0),
    time: num(ticker.timestamp, now),
  };
}

/** A ccxt funding history entry (Binance: an income row of type FUNDING_FEE): the amount is received when positive. */
export function toFundingPayment(entry: Loose): FundingPayment {
  return { symbol: String(entry.symbol), amount: num(entry.amount), time: num(entry.timestamp) };
}

export function toCandle(row: ReadonlyArray<number | undefined>): Candle {
  return { time: num(row[0]), open: num(row[1]), high: num(row[2]), low: num(row[3]), close: num(row[4]), volume: num(row[5]) };
}

/** A ccxt trade; `contractSize` is its market's (the amount comes in contracts). */
export function toFill(trade: Loose, contractSize = 1): Fill {
  return {
    orderId: String(trade.order ?? ''),
    clientOrderId: String(trade.info?.c ?? trade.clientOrderId ?? trade.info?.clientOrderId ?? ''),
    symbol: trade.symbol,
    side: trade.side === 'sell' ? 'sell' : 'buy',
    price: num(trade.price),
    amount: contractsToBase(num(trade.amount), contractSize),
    fee: num(trade.fee?.cost),
    realizedPnl: num(trade.info?.rp ?? trade.info?.realizedPnl, 0),
    time: num(trade.timestamp),
  };
}
