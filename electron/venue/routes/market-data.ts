import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';
import { binanceErrors } from '../binance-error';
import type { VenueMarket } from '../market-directory';
import { fixed } from '../number-format';
import type { RequestParams } from '../request-params';
import { defined } from './defined';
import { exchangeInfo, fundingInfo, klineRow, premiumIndex, ticker24h } from '../rest-shapes';
import type { Route } from '../router';
import type { VenueContext } from './venue-context';

const DAY_MS = 24 * 3_600_000;

/** Reads an optional `limit` within Binance's bounds for the endpoint. */
export function limitParam(params: RequestParams, fallback: number, max: number): number {
  const limit = params.optionalInteger('limit') ?? fallback;
  if (limit < 1 || limit > max) throw binanceErrors.invalidParameterData('limit');
  return limit;
}

/** Keeps `limit` rows: the first ones when the caller gave a start, else the latest (as Binance pages). */
export function pageOf<T>(rows: readonly T[], limit: number, fromStart: boolean): T[] {
  return fromStart ? rows.slice(0, limit) : rows.slice(Math.max(0, rows.length - limit));
}

/** Public market data: /fapi/v1/ping, time, exchangeInfo, klines, ticker/24hr, ticker/price, premiumIndex, fundingRate, fundingInfo. */
export function marketDataRoutes(ctx: VenueContext): Route[] {
  const { exchange, markets } = ctx;
  const optionalMarket = (params: RequestParams): VenueMarket | undefined => {
    const symbol = params.optionalString('symbol');
    return symbol === undefined ? undefined : markets.byWireId(symbol);
  };
  const oneOrAll = <T>(params: RequestParams, shape: (market: VenueMarket) => T): T | T[] => {
    const market = optionalMarket(params);
    return market ? shape(market) : markets.all().map(shape);
  };
  const lastPrice = (market: VenueMarket) => {
    const mark = exchange.mark(market.coreSymbol);
    return { symbol: market.id, price: market.numbers.price(mark.lastPrice), time: mark.time };
  };
  const ticker = (market: VenueMarket) =>
    ticker24h(market, exchange.klines(market.coreSymbol, '1h', { since: exchange.now() - DAY_MS }), exchange.mark(market.coreSymbol));

  return [
    { method: 'GET', path: '/fapi/v1/ping', security: 'NONE', handle: () => ({}) },
    { method: 'GET', path: '/fapi/v1/time', security: 'NONE', handle: () => ({ serverTime: ctx.wallNow() }) },
    { method: 'GET', path: '/fapi/v1/exchangeInfo', security: 'NONE', handle: () => exchangeInfo(markets.all(), ctx.wallNow()) },
    {
      method: 'GET',
      path: '/fapi/v1/klines',
      security: 'NONE',
      handle: (params) => {
        const market = markets.byWireId(params.string('symbol'));
        const interval = params.string('interval');
        if (!(TIMEFRAMES as readonly string[]).includes(interval)) throw binanceErrors.invalidInterval();
        const timeframe = interval as Timeframe;
        const startTime = params.optionalInteger('startTime');
        const endTime = params.optionalInteger('endTime');
        const limit = limitParam(params, 500, 1500);
        return exchange.klines(market.coreSymbol, timeframe, defined({ since: startTime, until: endTime, limit })).map((kline) => klineRow(kline, timeframe, market));
      },
    },
    { method: 'GET', path: '/fapi/v1/ticker/24hr', security: 'NONE', handle: (params) => oneOrAll(params, ticker) },
    { method: 'GET', path: '/fapi/v1/ticker/price', security: 'NONE', handle: (params) => oneOrAll(params, lastPrice) },
    { method: 'GET', path: '/fapi/v2/ticker/price', security: 'NONE', handle: (params) => oneOrAll(params, lastPrice) },
    {
      method: 'GET',
      path: '/fapi/v1/premiumIndex',
      security: 'NONE',
      handle: (params) => oneOrAll(params, (market) => premiumIndex(exchange.mark(market.coreSymbol), market)),
    },
    { method: 'GET', path: '/fapi/v1/fundingInfo', security: 'NONE', handle: () => markets.all().map(fundingInfo) },
    {
      method: 'GET',
      path: '/fapi/v1/fundingRate',
      security: 'NONE',
      handle: (params) => {
        const market = optionalMarket(params);
        const query = defined({ since: params.optionalInteger('startTime'), until: params.optionalInteger('endTime'), limit: limitParam(params, 100, 1000) });
        const rows = (market ? [market] : markets.all())
          .flatMap((m) => exchange.fundingRates(m.coreSymbol, query).map((f) => ({ market: m, f })))
          .sort((a, b) => a.f.fundingTime - b.f.fundingTime)
          .map(({ market: m, f }) => ({ symbol: m.id, fundingTime: f.fundingTime, fundingRate: fixed(f.fundingRate, 8), markPrice: m.numbers.price(f.markPrice) }));
        return pageOf(rows, query.limit, query.since !== undefined);
      },
    },
  ];
}
