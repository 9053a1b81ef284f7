import { maxNotionalAtLeverage } from '../../engine/sim/markets';
import { binanceErrors } from '../binance-error';
import type { VenueMarket } from '../market-directory';
import { fixed, money } from '../number-format';
import type { RequestParams } from '../request-params';
import { accountV2, accountV3, balanceRows, leverageBracket, positionRiskV2, positionRiskV3, tradePayload } from '../rest-shapes';
import type { Route } from '../router';
import { limitParam, pageOf } from './market-data';
import type { VenueContext } from './venue-context';

const INCOME_TYPES = ['REALIZED_PNL', 'COMMISSION', 'FUNDING_FEE'] as const;
type IncomeType = (typeof INCOME_TYPES)[number];

/**
 * Account and position endpoints: positionRisk, balance and account (v2 and v3),
 * leverage, marginType, positionMargin, positionSide/dual, multiAssetsMargin, symbolConfig,
 * commissionRate, leverageBracket, userTrades and income.
 */
export function accountRoutes(ctx: VenueContext): Route[] {
  const { exchange, markets } = ctx;
  const optionalMarket = (params: RequestParams): VenueMarket | undefined => {
    const symbol = params.optionalString('symbol');
    return symbol === undefined ? undefined : markets.byWireId(symbol);
  };
  const positionsOf = (market: VenueMarket | undefined, openOnly: boolean) =>
    exchange
      .positions()
      .filter((p) => (market === undefined || p.symbol === market.coreSymbol) && (!openOnly || p.positionAmt !== 0))
      .map((position) => ({ position, market: markets.ofCore(position.symbol) }));
  const marginTypeName = (m: VenueMarket) => (exchange.marginMode(m.coreSymbol) === 'isolated' ? 'ISOLATED' : 'CROSSED');

  return [
    { method: 'GET', path: '/fapi/v3/positionRisk', security: 'SIGNED', handle: (p) => positionsOf(optionalMarket(p), true).map((x) => positionRiskV3(x.position, x.market)) },
    { method: 'GET', path: '/fapi/v2/positionRisk', security: 'SIGNED', handle: (p) => positionsOf(optionalMarket(p), false).map((x) => positionRiskV2(x.position, x.market)) },
    { method: 'GET', path: '/fapi/v2/balance', security: 'SIGNED', handle: () => balanceRows(exchange.account(), exchange.now()) },
    { method: 'GET', path: '/fapi/v3/balance', security: 'SIGNED', handle: () => balanceRows(exchange.account(), exchange.now()) },
    { method: 'GET', path: '/fapi/v2/account', security: 'SIGNED', handle: () => accountV2(exchange.account(), positionsOf(undefined, false), exchange.now()) },
    { method: 'GET', path: '/fapi/v3/account', security: 'SIGNED', handle: () => accountV3(exchange.account(), positionsOf(undefined, true), exchange.now()) },
    {
      method: 'POST',
      path: '/fapi/v1/leverage',
      security: 'SIGNED',
      handle: (params) => {
        const market = markets.byWireId(params.string('symbol'));
        const leverage = params.integer('leverage');
        const result = exchange.setLeverage(market.coreSymbol, leverage);
        return { leverage: result.leverage, maxNotionalValue: String(result.maxNotionalValue), symbol: market.id };
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/marginType',
      security: 'SIGNED',
      handle: (params) => {
        const market = markets.byWireId(params.string('symbol'));
        const marginType = params.enum('marginType', ['ISOLATED', 'CROSSED'] as const, () => binanceErrors.invalidParameterData('marginType'));
        exchange.setMarginMode(market.coreSymbol, marginType === 'ISOLATED' ? 'isolated' : 'cross');
        return { code: 200, msg: 'success' };
      },
    },
    {
      method: 'POST',
      path: '/fapi/v1/positionMargin',
      security: 'SIGNED',
      handle: (params) => {
        const market = markets.byWireId(params.string('symbol'));
        const type = params.enum('type', ['1', '2'] as const, () => binanceErrors.invalidParameterData('type'));
        const amount = params.decimal('amount');
        exchange.modifyIsolatedMargin(market.coreSymbol, amount, type === '1' ? 'add' : 'reduce');
        return { amount, code: 200, msg: 'Successfully modify position margin.', type: Number(type) };
      },
    },
    { method: 'GET', path: '/fapi/v1/positionSide/dual', security: 'SIGNED', handle: () => ({ dualSidePosition: false }) },
    {
      method: 'POST',
      path: '/fapi/v1/positionSide/dual',
      security: 'SIGNED',
      handle: (params) => {
        const dual = params.optionalBoolean('dualSidePosition');
        if (dual === undefined) throw binanceErrors.mandatoryParameter('dualSidePosition');
        if (!dual) throw binanceErrors.noNeedToChangePositionSide();
        throw binanceErrors.unknownError('Hedge mode is not supported by this venue: it runs one-way positions only.');
      },
    },
    { method: 'GET', path: '/fapi/v1/multiAssetsMargin', security: 'SIGNED', handle: () => ({ multiAssetsMargin: false }) },
    {
      method: 'GET',
      path: '/fapi/v1/symbolConfig',
      security: 'SIGNED',
      handle: (params) => {
        const market = optionalMarket(params);
        return (market ? [market] : markets.all()).map((m) => {
          const leverage = exchange.leverage(m.coreSymbol);
          return { symbol: m.id, marginType: marginTypeName(m), isAutoAddMargin: false, leverage, maxNotionalValue: String(maxNotionalAtLeverage(m.info, leverage)) };
        });
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/commissionRate',
      security: 'SIGNED',
      handle: (params) => {
        const market = markets.byWireId(params.string('symbol'));
        return { symbol: market.id, makerCommissionRate: fixed(market.info.makerFee, 6), takerCommissionRate: fixed(market.info.takerFee, 6) };
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/leverageBracket',
      security: 'SIGNED',
      handle: (params) => {
        const market = optionalMarket(params);
        return market ? leverageBracket(market) : markets.all().map(leverageBracket);
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/userTrades',
      security: 'SIGNED',
      handle: (params) => {
        const market = markets.byWireId(params.string('symbol'));
        const startTime = params.optionalInteger('startTime');
        const endTime = params.optionalInteger('endTime');
        const fromId = params.optionalInteger('fromId');
        const orderId = params.optionalInteger('orderId');
        const limit = limitParam(params, 500, 1000);
        const fills = exchange
          .fills(market.coreSymbol)
          .filter(
            (f) =>
              (startTime === undefined || f.time >= startTime) &&
              (endTime === undefined || f.time <= endTime) &&
              (fromId === undefined || f.tradeId >= fromId) &&
              (orderId === undefined || f.orderId === orderId),
          );
        return pageOf(fills, limit, startTime !== undefined || fromId !== undefined).map((f) => tradePayload(f, market));
      },
    },
    {
      method: 'GET',
      path: '/fapi/v1/income',
      security: 'SIGNED',
      handle: (params) => {
        const market = optionalMarket(params);
        const incomeType = params.optionalEnum('incomeType', INCOME_TYPES, () => binanceErrors.invalidParameterData('incomeType'));
        const startTime = params.optionalInteger('startTime');
        const endTime = params.optionalInteger('endTime');
        const limit = limitParam(params, 100, 1000);
        const rows = incomeRows(ctx, market)
          .filter((r) => (incomeType === undefined || r.incomeType === incomeType) && (startTime === undefined || r.time >= startTime) && (endTime === undefined || r.time <= endTime))
          .sort((a, b) => a.time - b.time || a.tranId - b.tranId);
        return pageOf(rows, limit, startTime !== undefined);
      },
    },
  ];
}

interface IncomeRow {
  symbol: string;
  incomeType: IncomeType;
  income: string;
  asset: 'USDT';
  info: string;
  time: number;
  tranId: number;
  tradeId: string;
}

/** The account's income history: realised PnL and commission of every fill, and every funding payment. */
function incomeRows(ctx: VenueContext, market: VenueMarket | undefined): IncomeRow[] {
  const rows: IncomeRow[] = [];
  for (const fill of ctx.exchange.fills(market?.coreSymbol)) {
    const id = ctx.markets.ofCore(fill.symbol).id;
    const base = { symbol: id, asset: 'USDT' as const, info: '', time: fill.time, tradeId: String(fill.tradeId) };
    if (fill.realizedPnl !== 0) rows.push({ ...base, incomeType: 'REALIZED_PNL', income: money(fill.realizedPnl), tranId: fill.tradeId * 3 });
    if (fill.commission !== 0) rows.push({ ...base, incomeType: 'COMMISSION', income: money(-fill.commission), tranId: fill.tradeId * 3 + 1 });
  }
  ctx.history.funding(market?.coreSymbol).forEach((f, i) => {
    if (f.payment === 0) return;
    rows.push({ symbol: ctx.markets.ofCore(f.symbol).id, incomeType: 'FUNDING_FEE', income: money(f.payment), asset: 'USDT', info: 'FUNDING_FEE', time: f.time, tranId: 1_000_000_000 + i, tradeId: '' });
  });
  return rows;
}
