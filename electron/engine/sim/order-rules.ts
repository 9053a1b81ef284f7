import type { MarketInfo, TriggerPriceType } from '../../../shared/domain';
import { isOnStep } from '../../../shared/risk/precision';
import { binanceErrors } from './binance-errors';
import type { SimOrderRequest, SimOrderType, SimSide, SimTimeInForce } from './types';

/** A request that passed the market's filters, with every default filled in. */
export interface CheckedOrder {
  symbol: string;
  side: SimSide;
  type: SimOrderType;
  /** 0 for closePosition orders: the position's size is taken when they trigger. */
  quantity: number;
  price: number;
  stopPrice: number;
  workingType: TriggerPriceType;
  timeInForce: SimTimeInForce;
  reduceOnly: boolean;
  closePosition: boolean;
  conditional: boolean;
}

const SIDES: readonly SimSide[] = ['BUY', 'SELL'];
const TYPES: readonly SimOrderType[] = ['MARKET', 'LIMIT', 'STOP_MARKET', 'TAKE_PROFIT_MARKET'];
const TIME_IN_FORCE: readonly SimTimeInForce[] = ['GTC', 'IOC', 'FOK', 'GTX'];
const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Decimal places of a number as it would be written on the wire (`0.001` → 3, `1e-7` → 7). */
export function decimalPlaces(n: number): number {
  const [mantissa = '', exponent = '0'] = String(n).toLowerCase().split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

function isConditional(type: SimOrderType): boolean {
  return type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET';
}

/** Prefixes of the client ids the exchange gives orders itself: unnamed orders and liquidations. */
export const GENERATED_CLIENT_ID_PREFIX = { unnamed: 'sim-', liquidation: 'autoclose-' } as const;

/** Refuses an id Binance would not accept, and one in the namespace of generated ids, which could name another order. */
export function checkClientOrderId(id: string): void {
  if (!CLIENT_ORDER_ID.test(id)) throw binanceErrors.invalidClientOrderId();
  const reserved = Object.values(GENERATED_CLIENT_ID_PREFIX).find((prefix) => id.startsWith(prefix));
  if (reserved) throw binanceErrors.reservedClientOrderId(reserved);
}

function checkQuantity(market: MarketInfo, quantity: number | undefined, type: SimOrderType): number {
  if (quantity === undefined || !Number.isFinite(quantity)) throw binanceErrors.mandatoryParameter('quantity');
  if (quantity <= 0) throw binanceErrors.quantityNotPositive();
  if (decimalPlaces(quantity) > decimalPlaces(market.amountStep)) throw binanceErrors.precisionOverMaximum();
  if (!isOnStep(quantity, market.amountStep)) throw binanceErrors.quantityNotOnStep();
  if (quantity < market.minAmount) throw binanceErrors.quantityBelowMin();
  if (quantity > (type === 'MARKET' ? market.maxMarketAmount : market.maxAmount)) throw binanceErrors.quantityAboveMax();
  return quantity;
}

function checkPrice(market: MarketInfo, price: number | undefined, name: 'price' | 'stopPrice'): number {
  if (price === undefined || !Number.isFinite(price)) throw binanceErrors.mandatoryParameter(name);
  if (price <= 0) throw name === 'price' ? binanceErrors.priceNotPositive() : binanceErrors.stopPriceNotPositive();
  if (decimalPlaces(price) > decimalPlaces(market.tickSize)) throw binanceErrors.precisionOverMaximum();
  if (!isOnStep(price, market.tickSize)) throw binanceErrors.priceNotOnTick();
  return price;
}

/**
 * Checks a request against the market's filters (Binance's codes, see binance-errors.ts) and fills in
 * defaults: GTC, trigger on the last price. `last` prices the notional of a market order.
 */
export function checkOrderRequest(market: MarketInfo, request: SimOrderRequest, last: number): CheckedOrder {
  if (!SIDES.includes(request.side)) throw binanceErrors.invalidSide();
  if (!TYPES.includes(request.type)) throw binanceErrors.invalidOrderType();
  const conditional = isConditional(request.type);
  const closePosition = request.closePosition === true;
  const reduceOnly = request.reduceOnly === true;
  if (closePosition && !conditional) throw binanceErrors.parameterNotRequired('closePosition');
  if (closePosition && request.quantity !== undefined) throw binanceErrors.parameterNotRequired('quantity');
  if (closePosition && reduceOnly) throw binanceErrors.parameterNotRequired('reduceOnly');
  if (request.type !== 'LIMIT' && request.price !== undefined) throw binanceErrors.parameterNotRequired('price');
  if (!conditional && request.stopPrice !== undefined) throw binanceErrors.parameterNotRequired('stopPrice');
  const timeInForce = request.timeInForce ?? 'GTC';
  if (!TIME_IN_FORCE.includes(timeInForce)) throw binanceErrors.invalidTimeInForce();
  const workingType = request.workingType ?? 'last';
  if (workingType !== 'last' && workingType !== 'mark') throw binanceErrors.invalidWorkingType();

  const quantity = closePosition ? 0 : checkQuantity(market, request.quantity, request.type);
  const price = request.type === 'LIMIT' ? checkPrice(market, request.price, 'price') : 0;
  const stopPrice = conditional ? checkPrice(market, request.stopPrice, 'stopPrice') : 0;
  const reference = request.type === 'LIMIT' ? price : conditional ? stopPrice : last;
  if (!reduceOnly && !closePosition && quantity * reference < market.minNotional) throw binanceErrors.notionalTooSmall(market.minNotional);
  return {
    symbol: market.symbol,
    side: request.side,
    type: request.type,
    quantity,
    price,
    stopPrice,
    workingType,
    timeInForce,
    reduceOnly,
    closePosition,
    conditional,
  };
}
