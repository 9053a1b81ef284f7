/**
 * The simulation core's records written as Binance USDⓈ-M REST payloads: field
 * names, string numbers and enums as in the recorded responses of
 * /work/shared/data/ccxt-static/response/binance.json.
 */
import type { MarketTier, Timeframe, TriggerPriceType } from '../../shared/domain';
import { TIMEFRAME_MS } from '../../shared/domain';
import { FUNDING_INTERVAL_MS, FUNDING_RATE_CAP } from '../engine/sim/mark-price';
import { maxNotionalAtLeverage } from '../engine/sim/markets';
import type { SimAccount, SimFill, SimKline, SimMark, SimOrder, SimOrderStatus, SimPosition } from '../engine/sim/types';
import type { VenueMarket } from './market-directory';
import { fixed, money } from './number-format';

export const ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'] as const;
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'] as const;
/** Perpetuals carry this delivery date on Binance. */
const PERPETUAL_DELIVERY = 4133404800000;
const ONBOARD_DATE = 1569398400000;

export const workingTypeOf = (trigger: TriggerPriceType): 'MARK_PRICE' | 'CONTRACT_PRICE' => (trigger === 'mark' ? 'MARK_PRICE' : 'CONTRACT_PRICE');

/** Tiers as Binance's leverage brackets. */
function bracketsOf(tiers: readonly MarketTier[]) {
  return tiers.map((tier, index) => ({
    bracket: index + 1,
    initialLeverage: tier.maxLeverage,
    notionalCap: tier.maxNotional,
    notionalFloor: tier.minNotional,
    maintMarginRatio: tier.maintenanceMarginRate,
    cum: tier.maintenanceAmount,
  }));
}

export function exchangeInfo(markets: readonly VenueMarket[], serverTime: number) {
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: markets.map(symbolInfo),
  };
}

function symbolInfo(market: VenueMarket) {
  const { info, numbers } = market;
  const firstTier = info.tiers[0];
  return {
    symbol: info.id,
    pair: info.id,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY,
    onboardDate: ONBOARD_DATE,
    status: 'TRADING',
    maintMarginPercent: fixed((firstTier?.maintenanceMarginRate ?? 0) * 100, 4),
    requiredMarginPercent: fixed((1 / info.maxLeverage) * 100, 4),
    baseAsset: info.base,
    quoteAsset: info.quote,
    marginAsset: info.settle,
    pricePrecision: numbers.priceDecimals,
    quantityPrecision: numbers.quantityDecimals,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', tickSize: numbers.price(info.tickSize), minPrice: numbers.price(info.tickSize), maxPrice: numbers.price(info.tickSize * 1e9) },
      { filterType: 'LOT_SIZE', stepSize: numbers.quantity(info.amountStep), minQty: numbers.quantity(info.minAmount), maxQty: numbers.quantity(info.maxAmount) },
      { filterType: 'MARKET_LOT_SIZE', stepSize: numbers.quantity(info.amountStep), minQty: numbers.quantity(info.minAmount), maxQty: numbers.quantity(info.maxMarketAmount) },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: String(info.minNotional) },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: [...ORDER_TYPES],
    timeInForce: [...TIME_IN_FORCE],
  };
}

export function leverageBracket(market: VenueMarket) {
  return { symbol: market.id, notionalCoef: 1.0, brackets: bracketsOf(market.info.tiers) };
}

/** A normal order as /fapi/v1/order answers it. */
export function orderPayload(order: SimOrder, market: VenueMarket) {
  const { numbers } = market;
  return {
    orderId: order.orderId,
    symbol: market.id,
    status: order.status,
    clientOrderId: order.clientOrderId,
    price: numbers.price(order.price),
    avgPrice: money(order.avgPrice),
    origQty: numbers.quantity(order.origQty),
    executedQty: numbers.quantity(order.executedQty),
    cumQty: numbers.quantity(order.executedQty),
    cumQuote: money(order.cumQuote),
    timeInForce: order.timeInForce,
    type: order.type,
    reduceOnly: order.reduceOnly,
    closePosition: order.closePosition,
    side: order.side,
    positionSide: 'BOTH',
    stopPrice: numbers.price(order.stopPrice),
    workingType: workingTypeOf(order.workingType),
    priceProtect: false,
    origType: order.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: 0,
    time: order.time,
    updateTime: order.updateTime,
  };
}

export type AlgoStatus = 'NEW' | 'CANCELED' | 'TRIGGERED' | 'FINISHED' | 'REJECTED' | 'EXPIRED';

/** A conditional order's status in Binance's algo-order words. */
export function algoStatusOf(status: SimOrderStatus): AlgoStatus {
  switch (status) {
    case 'NEW':
      return 'NEW';
    case 'PARTIALLY_FILLED':
      return 'TRIGGERED';
    case 'FILLED':
      return 'FINISHED';
    case 'CANCELED':
      return 'CANCELED';
    case 'EXPIRED':
      return 'EXPIRED';
    case 'REJECTED':
      return 'REJECTED';
  }
}

const triggered = (order: SimOrder) => order.status === 'FILLED' || order.status === 'PARTIALLY_FILLED';

/** A conditional order as /fapi/v1/algoOrder answers it. */
export function algoOrderPayload(order: SimOrder, market: VenueMarket) {
  const { numbers } = market;
  return {
    algoId: order.orderId,
    clientAlgoId: order.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: order.type,
    symbol: market.id,
    side: order.side,
    positionSide: 'BOTH',
    timeInForce: order.timeInForce,
    quantity: numbers.quantity(order.origQty),
    algoStatus: algoStatusOf(order.status),
    actualOrderId: triggered(order) ? String(order.orderId) : '',
    actualPrice: money(order.avgPrice),
    triggerPrice: numbers.price(order.stopPrice),
    price: numbers.price(order.price),
    icebergQuantity: null,
    tpTriggerPrice: numbers.price(0),
    tpPrice: numbers.price(0),
    slTriggerPrice: numbers.price(0),
    slPrice: numbers.price(0),
    tpOrderType: '',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: workingTypeOf(order.workingType),
    priceMatch: 'NONE',
    closePosition: order.closePosition,
    priceProtect: false,
    reduceOnly: order.reduceOnly,
    createTime: order.time,
    updateTime: order.updateTime,
    triggerTime: triggered(order) ? order.updateTime : 0,
    goodTillDate: 0,
  };
}

/** Signed notional: negative for a short, as Binance reports it. */
const signedNotional = (position: SimPosition) => Math.sign(position.positionAmt) * Math.abs(position.notional);
const isolatedMarginOf = (position: SimPosition) => (position.marginMode === 'isolated' ? position.isolatedWallet + position.unrealizedPnl : 0);

/** Entry price moved by a taker fee on the way in and on the way out. */
export function breakEvenPrice(position: SimPosition, takerFee: number): number {
  if (position.positionAmt === 0) return 0;
  return position.positionAmt > 0 ? (position.entryPrice * (1 + takerFee)) / (1 - takerFee) : (position.entryPrice * (1 - takerFee)) / (1 + takerFee);
}

function positionCore(position: SimPosition, market: VenueMarket) {
  return {
    symbol: market.id,
    positionSide: 'BOTH',
    positionAmt: market.numbers.quantity(position.positionAmt),
    entryPrice: money(position.entryPrice),
    breakEvenPrice: money(breakEvenPrice(position, market.info.takerFee)),
    markPrice: money(position.markPrice),
    unRealizedProfit: money(position.unrealizedPnl),
    liquidationPrice: money(position.liquidationPrice ?? 0),
    isolatedMargin: money(isolatedMarginOf(position)),
    notional: money(signedNotional(position)),
    marginAsset: 'USDT',
    isolatedWallet: money(position.isolatedWallet),
  };
}

/** /fapi/v3/positionRisk row. */
export function positionRiskV3(position: SimPosition, market: VenueMarket) {
  return {
    ...positionCore(position, market),
    initialMargin: money(position.initialMargin),
    maintMargin: money(position.maintenanceMargin),
    positionInitialMargin: money(position.initialMargin),
    openOrderInitialMargin: money(0),
    adl: 0,
    bidNotional: '0',
    askNotional: '0',
    updateTime: position.updateTime,
  };
}

/** /fapi/v2/positionRisk row: the older shape, which also names leverage and margin type. */
export function positionRiskV2(position: SimPosition, market: VenueMarket) {
  const { liquidationPrice, isolatedMargin, ...core } = positionCore(position, market);
  return {
    ...core,
    liquidationPrice,
    leverage: String(position.leverage),
    maxNotionalValue: String(maxNotionalAtLeverage(market.info, position.leverage)),
    marginType: position.marginMode,
    isolatedMargin,
    isAutoAddMargin: 'false',
    updateTime: position.updateTime,
  };
}

/** /fapi/v2|v3/balance: one row per asset. */
export function balanceRows(account: SimAccount, updateTime: number) {
  return [
    {
      accountAlias: 'SgsR',
      asset: account.asset,
      balance: money(account.walletBalance),
      crossWalletBalance: money(account.crossWalletBalance),
      crossUnPnl: money(account.unrealizedPnl),
      availableBalance: money(account.availableBalance),
      maxWithdrawAmount: money(Math.max(0, Math.min(account.availableBalance, account.walletBalance))),
      marginAvailable: true,
      updateTime,
    },
  ];
}

function accountTotals(account: SimAccount) {
  return {
    totalInitialMargin: money(account.initialMargin),
    totalMaintMargin: money(account.maintenanceMargin),
    totalWalletBalance: money(account.walletBalance),
    totalUnrealizedProfit: money(account.unrealizedPnl),
    totalMarginBalance: money(account.marginBalance),
    totalPositionInitialMargin: money(account.initialMargin),
    totalOpenOrderInitialMargin: money(0),
    totalCrossWalletBalance: money(account.crossWalletBalance),
    totalCrossUnPnl: money(account.unrealizedPnl),
    availableBalance: money(account.availableBalance),
    maxWithdrawAmount: money(Math.max(0, Math.min(account.availableBalance, account.walletBalance))),
  };
}

function accountAsset(account: SimAccount, updateTime: number) {
  return {
    asset: account.asset,
    walletBalance: money(account.walletBalance),
    unrealizedProfit: money(account.unrealizedPnl),
    marginBalance: money(account.marginBalance),
    maintMargin: money(account.maintenanceMargin),
    initialMargin: money(account.initialMargin),
    positionInitialMargin: money(account.initialMargin),
    openOrderInitialMargin: money(0),
    crossWalletBalance: money(account.crossWalletBalance),
    crossUnPnl: money(account.unrealizedPnl),
    availableBalance: money(account.availableBalance),
    maxWithdrawAmount: money(Math.max(0, Math.min(account.availableBalance, account.walletBalance))),
    marginAvailable: true,
    updateTime,
  };
}

/** /fapi/v3/account: totals, the USDT asset and the open positions. */
export function accountV3(account: SimAccount, positions: readonly { position: SimPosition; market: VenueMarket }[], updateTime: number) {
  return {
    ...accountTotals(account),
    assets: [accountAsset(account, updateTime)],
    positions: positions.map(({ position, market }) => ({
      symbol: market.id,
      positionSide: 'BOTH',
      positionAmt: market.numbers.quantity(position.positionAmt),
      unrealizedProfit: money(position.unrealizedPnl),
      isolatedMargin: money(isolatedMarginOf(position)),
      notional: money(signedNotional(position)),
      isolatedWallet: money(position.isolatedWallet),
      initialMargin: money(position.initialMargin),
      maintMargin: money(position.maintenanceMargin),
      updateTime: position.updateTime,
    })),
  };
}

/** /fapi/v2/account: as v3, with the account flags and leverage per position. */
export function accountV2(account: SimAccount, positions: readonly { position: SimPosition; market: VenueMarket }[], updateTime: number) {
  return {
    feeTier: 0,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    multiAssetsMargin: false,
    tradeGroupId: -1,
    ...accountTotals(account),
    assets: [accountAsset(account, updateTime)],
    positions: positions.map(({ position, market }) => ({
      symbol: market.id,
      initialMargin: money(position.initialMargin),
      maintMargin: money(position.maintenanceMargin),
      unrealizedProfit: money(position.unrealizedPnl),
      positionInitialMargin: money(position.initialMargin),
      openOrderInitialMargin: money(0),
      leverage: String(position.leverage),
      isolated: position.marginMode === 'isolated',
      entryPrice: money(position.entryPrice),
      breakEvenPrice: money(breakEvenPrice(position, market.info.takerFee)),
      maxNotional: String(maxNotionalAtLeverage(market.info, position.leverage)),
      positionSide: 'BOTH',
      positionAmt: market.numbers.quantity(position.positionAmt),
      notional: money(signedNotional(position)),
      isolatedWallet: money(position.isolatedWallet),
      updateTime: position.updateTime,
      bidNotional: '0',
      askNotional: '0',
    })),
  };
}

/** /fapi/v1/userTrades row. */
export function tradePayload(fill: SimFill, market: VenueMarket) {
  return {
    symbol: market.id,
    id: fill.tradeId,
    orderId: fill.orderId,
    side: fill.side,
    price: market.numbers.tradePrice(fill.price),
    qty: market.numbers.quantity(fill.quantity),
    realizedPnl: money(fill.realizedPnl),
    marginAsset: 'USDT',
    quoteQty: money(fill.price * fill.quantity),
    commission: money(fill.commission),
    commissionAsset: 'USDT',
    time: fill.time,
    positionSide: 'BOTH',
    maker: fill.maker,
    buyer: fill.side === 'BUY',
  };
}

/** /fapi/v1/klines row. The core keeps no trade list, so the trade count and taker-buy volumes (which nothing in the cockpit reads) are sent as 0. */
export function klineRow(kline: SimKline, timeframe: Timeframe, market: VenueMarket) {
  const { price, quantity } = market.numbers;
  return [
    kline.time,
    price(kline.open),
    price(kline.high),
    price(kline.low),
    price(kline.close),
    quantity(kline.volume),
    kline.time + TIMEFRAME_MS[timeframe] - 1,
    money(kline.quoteVolume),
    0,
    '0',
    '0',
    '0',
  ];
}

/** /fapi/v1/ticker/24hr over the hourly klines of the last day (the average price is quote volume over volume). */
export function ticker24h(market: VenueMarket, lastDay: readonly SimKline[], mark: SimMark) {
  const { price, quantity } = market.numbers;
  const open = lastDay[0]?.open ?? mark.lastPrice;
  const high = Math.max(mark.lastPrice, ...lastDay.map((c) => c.high));
  const low = Math.min(mark.lastPrice, ...lastDay.map((c) => c.low));
  const volume = lastDay.reduce((sum, c) => sum + c.volume, 0);
  const quoteVolume = lastDay.reduce((sum, c) => sum + c.quoteVolume, 0);
  const weighted = volume > 0 ? quoteVolume / volume : mark.lastPrice;
  const change = mark.lastPrice - open;
  return {
    symbol: market.id,
    priceChange: price(change),
    priceChangePercent: fixed(open > 0 ? (change / open) * 100 : 0, 3),
    weightedAvgPrice: price(weighted),
    lastPrice: price(mark.lastPrice),
    lastQty: quantity(0),
    openPrice: price(open),
    highPrice: price(high),
    lowPrice: price(low),
    volume: quantity(volume),
    quoteVolume: money(quoteVolume),
    openTime: lastDay[0]?.time ?? mark.time,
    closeTime: mark.time,
    firstId: 0,
    lastId: 0,
    count: 0,
  };
}

export function premiumIndex(mark: SimMark, market: VenueMarket) {
  return {
    symbol: market.id,
    markPrice: money(mark.markPrice),
    indexPrice: money(mark.indexPrice),
    estimatedSettlePrice: money(mark.indexPrice),
    lastFundingRate: fixed(mark.fundingRate, 8),
    interestRate: '0.00010000',
    nextFundingTime: mark.nextFundingTime,
    time: mark.time,
  };
}

/** /fapi/v1/fundingInfo row: every market settles funding every 8 hours, within the core's rate cap. */
export function fundingInfo(market: VenueMarket) {
  return {
    symbol: market.id,
    adjustedFundingRateCap: fixed(FUNDING_RATE_CAP, 8),
    adjustedFundingRateFloor: fixed(-FUNDING_RATE_CAP, 8),
    fundingIntervalHours: FUNDING_INTERVAL_MS / 3_600_000,
    disclaimer: false,
  };
}
