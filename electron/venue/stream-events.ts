/**
 * The simulation core's events written as Binance USDⓈ-M WebSocket payloads:
 * market streams (kline, markPriceUpdate, 24hrTicker) and the user-data stream
 * (ORDER_TRADE_UPDATE, ALGO_UPDATE, ACCOUNT_UPDATE), as ccxt.pro parses them.
 */
import type { Timeframe } from '../../shared/domain';
import { TIMEFRAME_MS } from '../../shared/domain';
import { GENERATED_CLIENT_ID_PREFIX } from '../engine/sim/order-rules';
import type { SimAccount, SimFill, SimKline, SimMark, SimOrder, SimPosition } from '../engine/sim/types';
import type { VenueMarket } from './market-directory';
import { fixed, money } from './number-format';
import { algoStatusOf, breakEvenPrice, type ticker24h, workingTypeOf } from './rest-shapes';

export function klineEvent(candle: SimKline, timeframe: Timeframe, closed: boolean, market: VenueMarket, eventTime: number) {
  const { price, quantity } = market.numbers;
  return {
    e: 'kline',
    E: eventTime,
    s: market.id,
    k: {
      t: candle.time,
      T: candle.time + TIMEFRAME_MS[timeframe] - 1,
      s: market.id,
      i: timeframe,
      f: 0,
      L: 0,
      o: price(candle.open),
      c: price(candle.close),
      h: price(candle.high),
      l: price(candle.low),
      v: quantity(candle.volume),
      n: 0,
      x: closed,
      q: money(candle.quoteVolume),
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

export function markPriceEvent(mark: SimMark, market: VenueMarket) {
  return {
    e: 'markPriceUpdate',
    E: mark.time,
    s: market.id,
    p: money(mark.markPrice),
    i: money(mark.indexPrice),
    P: money(mark.indexPrice),
    r: fixed(mark.fundingRate, 8),
    T: mark.nextFundingTime,
  };
}

/** The 24hrTicker event, from the same figures as /fapi/v1/ticker/24hr. */
export function tickerEvent(ticker: ReturnType<typeof ticker24h>) {
  return {
    e: '24hrTicker',
    E: ticker.closeTime,
    s: ticker.symbol,
    p: ticker.priceChange,
    P: ticker.priceChangePercent,
    w: ticker.weightedAvgPrice,
    c: ticker.lastPrice,
    Q: ticker.lastQty,
    o: ticker.openPrice,
    h: ticker.highPrice,
    l: ticker.lowPrice,
    v: ticker.volume,
    q: ticker.quoteVolume,
    O: ticker.openTime,
    C: ticker.closeTime,
    F: 0,
    L: 0,
    n: 0,
  };
}

type ExecutionType = 'NEW' | 'CANCELED' | 'EXPIRED' | 'TRADE' | 'CALCULATED';

function executionTypeOf(order: SimOrder, fill: SimFill | null): ExecutionType {
  if (fill) return 'TRADE';
  if (order.status === 'CANCELED') return 'CANCELED';
  if (order.status === 'EXPIRED' || order.status === 'REJECTED') return 'EXPIRED';
  return 'NEW';
}

/** Order fields as a user-data ORDER_TRADE_UPDATE carries them. */
function orderFields(order: SimOrder, fill: SimFill | null, market: VenueMarket, overrides: { type?: string; clientOrderId?: string; execution?: ExecutionType } = {}) {
  const { price, quantity } = market.numbers;
  const type = overrides.type ?? (order.conditional && fill ? 'MARKET' : order.type);
  return {
    s: market.id,
    c: overrides.clientOrderId ?? order.clientOrderId,
    S: order.side,
    o: type,
    f: order.timeInForce,
    q: quantity(order.origQty),
    p: price(order.conditional ? 0 : order.price),
    ap: money(order.avgPrice),
    sp: price(order.stopPrice),
    x: overrides.execution ?? executionTypeOf(order, fill),
    X: order.status,
    i: order.orderId,
    l: quantity(fill?.quantity ?? 0),
    z: quantity(order.executedQty),
    L: market.numbers.tradePrice(fill?.price ?? 0),
    N: 'USDT',
    n: money(fill?.commission ?? 0),
    T: fill?.time ?? order.updateTime,
    t: fill?.tradeId ?? 0,
    b: '0',
    a: '0',
    m: fill?.maker ?? false,
    R: order.reduceOnly,
    wt: workingTypeOf(order.workingType),
    ot: overrides.type ?? order.type,
    ps: 'BOTH',
    cp: order.closePosition,
    rp: money(fill?.realizedPnl ?? 0),
    pP: false,
    si: 0,
    ss: 0,
    V: 'EXPIRE_MAKER',
    pm: 'NONE',
    gtd: 0,
  };
}

export function orderTradeUpdate(order: SimOrder, fill: SimFill | null, market: VenueMarket, eventTime: number) {
  return { e: 'ORDER_TRADE_UPDATE', E: eventTime, T: fill?.time ?? order.updateTime, o: orderFields(order, fill, market) };
}

/**
 * The exchange's forced close of a position, as Binance reports it: an order of
 * type LIQUIDATION with a client id starting `autoclose-`, filled at the bankruptcy price.
 */
export function liquidationUpdate(order: SimOrder, fill: SimFill | null, market: VenueMarket, eventTime: number) {
  const prefix = GENERATED_CLIENT_ID_PREFIX.liquidation;
  const clientOrderId = order.clientOrderId.startsWith(prefix) ? order.clientOrderId : `${prefix}${order.orderId}`;
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: eventTime,
    T: fill?.time ?? order.updateTime,
    o: orderFields(order, fill, market, { type: 'LIQUIDATION', clientOrderId, execution: 'TRADE' }),
  };
}

export function algoUpdate(order: SimOrder, market: VenueMarket, eventTime: number) {
  const { price, quantity } = market.numbers;
  const triggered = order.status === 'FILLED' || order.status === 'PARTIALLY_FILLED';
  return {
    e: 'ALGO_UPDATE',
    T: order.updateTime,
    E: eventTime,
    o: {
      caid: order.clientOrderId,
      aid: order.orderId,
      at: 'CONDITIONAL',
      o: order.type,
      s: market.id,
      S: order.side,
      ps: 'BOTH',
      f: order.timeInForce,
      q: quantity(order.origQty),
      X: algoStatusOf(order.status),
      ai: triggered ? String(order.orderId) : '',
      ap: money(order.avgPrice),
      aq: quantity(order.executedQty),
      act: triggered ? 'MARKET' : '0',
      tp: price(order.stopPrice),
      p: price(order.price),
      V: 'EXPIRE_MAKER',
      wt: workingTypeOf(order.workingType),
      pm: 'NONE',
      cp: order.closePosition,
      pP: false,
      R: order.reduceOnly,
      tt: triggered ? order.updateTime : 0,
      gtd: 0,
    },
  };
}

/** Binance's ACCOUNT_UPDATE reasons; the core's LIQUIDATION settles as an order. */
const REASONS = { ORDER: 'ORDER', FUNDING_FEE: 'FUNDING_FEE', LIQUIDATION: 'ORDER', MARGIN_TYPE_CHANGE: 'MARGIN_TYPE_CHANGE', ISOLATED_MARGIN_CHANGE: 'ISOLATED_MARGIN_CHANGE' } as const;

export function accountUpdate(
  reason: keyof typeof REASONS,
  account: SimAccount,
  positions: readonly { position: SimPosition; market: VenueMarket; realizedPnl: number }[],
  eventTime: number,
) {
  return {
    e: 'ACCOUNT_UPDATE',
    E: eventTime,
    T: eventTime,
    a: {
      m: REASONS[reason],
      B: [{ a: account.asset, wb: money(account.walletBalance), cw: money(account.crossWalletBalance), bc: '0' }],
      P: positions.map(({ position, market, realizedPnl }) => ({
        s: market.id,
        pa: market.numbers.quantity(position.positionAmt),
        ep: money(position.entryPrice),
        bep: money(breakEvenPrice(position, market.info.takerFee)),
        cr: money(realizedPnl),
        up: money(position.unrealizedPnl),
        mt: position.marginMode,
        iw: money(position.isolatedWallet),
        ps: 'BOTH',
      })),
    },
  };
}
