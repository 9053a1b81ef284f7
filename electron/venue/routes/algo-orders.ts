import type { SimOrderRequest } from '../../engine/sim/types';
import { binanceErrors } from '../binance-error';
import type { RequestParams } from '../request-params';
import { algoOrderPayload, ORDER_TYPES } from '../rest-shapes';
import type { Route } from '../router';
import { limitParam, pageOf } from './market-data';
import { defined } from './defined';
import { ALL_OPEN_ORDERS_CANCELLED, commonOrderFields, findOrder } from './orders';
import type { VenueContext } from './venue-context';

/** The conditional types the core simulates; Binance's limit stops and trailing stops are not among them. */
const SIMULATED_CONDITIONAL = new Set(['STOP_MARKET', 'TAKE_PROFIT_MARKET']);

/**
 * Conditional orders, which Binance now keeps apart as algo orders:
 * /fapi/v1/algoOrder (new, cancel, query), openAlgoOrders, algoOpenOrders (cancel all), allAlgoOrders.
 */
export function algoOrderRoutes(ctx: VenueContext): Route[] {
  const { exchange, markets } = ctx;
  const symbolMarket = (params: RequestParams) => markets.byWireId(params.string('symbol'));
  const algoRef = { id: 'algoId', client: 'clientAlgoId' };

  return [
    {
      method: 'POST',
      path: '/fapi/v1/algoOrder',
      security: 'SIGNED',
      changesOrders: true,
      handle: (params) => {
        const market = symbolMarket(params);
        if (params.string('algoType') !== 'CONDITIONAL') throw binanceErrors.invalidParameterData('algoType');
        const type = params.enum('type', ORDER_TYPES, binanceErrors.invalidOrderType);
        if (!SIMULATED_CONDITIONAL.has(type)) throw binanceErrors.invalidOrderType();
        const closePosition = params.optionalBoolean('closePosition');
        const request: SimOrderRequest = defined({
          ...commonOrderFields(params, market),
          type: type as 'STOP_MARKET' | 'TAKE_PROFIT_MARKET',
          stopPrice: params.decimal('triggerPrice'),
          closePosition,
          clientOrderId: params.optionalString('clientAlgoId'),
        });
        return algoOrderPayload(exchange.placeOrder(request), market);
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/algoOrder',
      security: 'SIGNED',
      changesOrders: true,
      handle: (params) => {
        const market = symbolMarket(params);
        const order = findOrder(ctx, params, market, true, algoRef, binanceErrors.unknownOrder);
        const cancelled = exchange.cancelOrder(market.coreSymbol, { orderId: order.orderId });
        return { algoId: cancelled.orderId, clientAlgoId: cancelled.clientOrderId, code: '200', msg: 'success' };
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/algoOrder',
      security: 'SIGNED',
      handle: (params) => {
        const market = symbolMarket(params);
        return algoOrderPayload(findOrder(ctx, params, market, true, algoRef, binanceErrors.orderDoesNotExist), market);
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/openAlgoOrders',
      security: 'SIGNED',
      handle: (params) => {
        const symbol = params.optionalString('symbol');
        const market = symbol === undefined ? undefined : markets.byWireId(symbol);
        return exchange.openOrders(market?.coreSymbol, 'conditional').map((o) => algoOrderPayload(o, markets.ofCore(o.symbol)));
      },
    },
    {
      method: 'DELETE',
      path: '/fapi/v1/algoOpenOrders',
      security: 'SIGNED',
      changesOrders: true,
      handle: (params) => {
        exchange.cancelAllOrders(symbolMarket(params).coreSymbol, 'conditional');
        return ALL_OPEN_ORDERS_CANCELLED;
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/allAlgoOrders',
      security: 'SIGNED',
      handle: (params) => {
        const market = symbolMarket(params);
        const startTime = params.optionalInteger('startTime');
        const endTime = params.optionalInteger('endTime');
        const limit = limitParam(params, 500, 1000);
        const orders = ctx.history
          .allOrders(market.coreSymbol, true)
          .filter((o) => (startTime === undefined || o.time >= startTime) && (endTime === undefined || o.time <= endTime));
        return pageOf(orders, limit, startTime !== undefined).map((o) => algoOrderPayload(o, market));
      },
    },
  ];
}
