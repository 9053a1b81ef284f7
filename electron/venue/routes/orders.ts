import type { TriggerPriceType } from '../../../shared/domain';
import { SimError, type SimOrder, type SimOrderRequest, type SimTimeInForce } from '../../engine/sim/types';
import { binanceErrors } from '../binance-error';
import type { VenueMarket } from '../market-directory';
import type { RequestParams } from '../request-params';
import { orderPayload, ORDER_TYPES } from '../rest-shapes';
import type { Route } from '../router';
import { defined } from './defined';
import { limitParam, pageOf } from './market-data';
import type { VenueContext } from './venue-context';

const SIDES = ['BUY', 'SELL'] as const;
const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTX'] as const satisfies readonly SimTimeInForce[];
const WORKING_TYPES = ['MARK_PRICE', 'CONTRACT_PRICE'] as const;
/** Order types Binance now accepts only through the algo-order endpoints. */
const CONDITIONAL_TYPES = new Set(['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET']);

export const ALL_OPEN_ORDERS_CANCELLED = { code: 200, msg: 'The operation of cancel all open order is done.' } as const;

/** The parameters every new order shares, normal or conditional, read as Binance reads them. */
export function commonOrderFields(params: RequestParams, market: VenueMarket) {
  const positionSide = params.optionalString('positionSide');
  if (positionSide !== undefined && positionSide !== 'BOTH') throw binanceErrors.positionSideMismatch();
  const workingType = params.optionalEnum('workingType', WORKING_TYPES, binanceErrors.invalidWorkingType);
  const trigger: TriggerPriceType | undefined = workingType === undefined ? undefined : workingType === 'MARK_PRICE' ? 'mark' : 'last';
  const timeInForce = params.optionalEnum('timeInForce', TIME_IN_FORCE, binanceErrors.invalidTimeInForce);
  return {
    symbol: market.coreSymbol,
    side: params.enum('side', SIDES, binanceErrors.invalidSide),
    quantity: params.optionalDecimal('quantity'),
    price: params.optionalDecimal('price'),
    reduceOnly: params.optionalBoolean('reduceOnly'),
    ...(trigger ? { workingType: trigger } : {}),
    ...(timeInForce ? { timeInForce } : {}),
  };
}

/** Finds an order by its id or client id; `missing` when it lives on the other side (normal versus conditional). */
export function findOrder(ctx: VenueContext, params: RequestParams, market: VenueMarket, conditional: boolean, ids: { id: string; client: string }, missing: () => Error): SimOrder {
  const orderId = params.optionalInteger(ids.id);
  const clientOrderId = params.optionalString(ids.client);
  if (orderId === undefined && clientOrderId === undefined) throw binanceErrors.eitherParameter(ids.id, ids.client);
  let order: SimOrder;
  try {
    order = ctx.exchange.getOrder(market.coreSymbol, defined({ orderId, clientOrderId }));
  } catch (error) {
    if (error instanceof SimError && error.code === -2013) throw missing();
    throw error;
  }
  if (order.conditional !== conditional) throw missing();
  return order;
}

/** Normal orders: /fapi/v1/order (new, cancel, query), openOrder(s), allOpenOrders, allOrders. */
export function orderRoutes(ctx: VenueContext): Route[] {
  const { exchange, markets } = ctx;
  const symbolMarket = (params: RequestParams) => markets.byWireId(params.string('symbol'));
  const normalRef = { id: 'orderId', client: 'origClientOrderId' };

  return [
    {
      method: 'POST',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      changesOrders: true,
      handle: (params) => {
        const market = symbolMarket(params);
        const type = params.enum('type', ORDER_TYPES, binanceErrors.invalidOrderType);
        if (CONDITIONAL_TYPES.has(type)) throw binanceErrors.useAlgoEndpoint();
        const request: SimOrderRequest = defined({
          ...commonOrderFields(params, market),
          type: type as 'MARKET' | 'LIMIT',
          clientOrderId: params.optionalString('newClientOrderId'),
        });
        return orderPayload(exchange.placeOrder(request), market);
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      changesOrders: true,
      handle: (params) => {
        const market = symbolMarket(params);
        const order = findOrder(ctx, params, market, false, normalRef, binanceErrors.unknownOrder);
        return orderPayload(exchange.cancelOrder(market.coreSymbol, { orderId: order.orderId }), market);
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/order',
      security: 'SIGNED',
      handle: (params) => {
        const market = symbolMarket(params);
        return orderPayload(findOrder(ctx, params, market, false, normalRef, binanceErrors.orderDoesNotExist), market);
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openOrder',
      security: 'SIGNED',
      handle: (params) => {
        const market = symbolMarket(params);
        const order = findOrder(ctx, params, market, false, normalRef, binanceErrors.orderDoesNotExist);
        if (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED') throw binanceErrors.orderDoesNotExist();
        return orderPayload(order, market);
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openOrders',
      security: 'SIGNED',
      handle: (params) => {
        const symbol = params.optionalString('symbol');
        const market = symbol === undefined ? undefined : markets.byWireId(symbol);
        return exchange.openOrders(market?.coreSymbol, 'normal').map((o) => orderPayload(o, markets.ofCore(o.symbol)));
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/allOpenOrders',
      security: 'SIGNED',
      changesOrders: true,
      handle: (params) => {
        exchange.cancelAllOrders(symbolMarket(params).coreSymbol, 'normal');
        return ALL_OPEN_ORDERS_CANCELLED;
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/allOrders',
      security: 'SIGNED',
      handle: (params) => {
        const market = symbolMarket(params);
        const orderId = params.optionalInteger('orderId');
        const startTime = params.optionalInteger('startTime');
        const endTime = params.optionalInteger('endTime');
        const limit = limitParam(params, 500, 1000);
        const orders = ctx.history
          .allOrders(market.coreSymbol, false)
          .filter((o) => (orderId === undefined || o.orderId >= orderId) && (startTime === undefined || o.time >= startTime) && (endTime === undefined || o.time <= endTime));
        return pageOf(orders, limit, orderId !== undefined || startTime !== undefined).map((o) => orderPayload(o, market));
      },
    },
  ];
}
