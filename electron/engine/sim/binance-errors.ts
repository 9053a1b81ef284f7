import { SimError } from './types';

/**
 * Every rejection the simulator gives, with Binance USDⓈ-M's numeric code and message.
 *
 * Choices where Binance has several answers:
 * - A quantity or price with more decimals than the step or tick allows gets -1111 (what Binance
 *   answers for too many decimals); one with the right decimals but off the step gets -4023,
 *   off the tick -4014.
 * - Below the minimum quantity is -4004, above the maximum (LOT_SIZE, or MARKET_LOT_SIZE for
 *   market orders) is -4005.
 * - A client order id is unique among open orders only, as on Binance: reusing the id of an
 *   open order is -4116 (on any symbol, the stricter reading), while reusing the id of a
 *   filled, cancelled or expired order places a new order; a query by that id finds the newest.
 * - The ids the simulator generates (`sim-N` for an order sent without one, `autoclose-N` for a
 *   liquidation) keep their own namespace: a request naming an id with those prefixes gets -4015.
 * - Reduce-only is checked when any order is placed, conditional ones included: with no position,
 *   on the position's side, or larger than the position, it is -2022. A reduce-only or closePosition
 *   order that can no longer reduce when it fills or triggers expires; one larger than what is left
 *   fills only what is left.
 */
export const binanceErrors = {
  invalidSymbol: () => new SimError(-1121, 'Invalid symbol.'),
  mandatoryParameter: (name: string) => new SimError(-1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`),
  parameterNotRequired: (name: string) => new SimError(-1106, `Parameter '${name}' sent when not required.`),
  invalidTimeInForce: () => new SimError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new SimError(-1116, 'Invalid orderType.'),
  invalidSide: () => new SimError(-1117, 'Invalid side.'),
  invalidWorkingType: () => new SimError(-1102, "Mandatory parameter 'workingType' was not sent, was empty/null, or malformed."),
  precisionOverMaximum: () => new SimError(-1111, 'Precision is over the maximum defined for this asset.'),
  priceNotOnTick: () => new SimError(-4014, 'Price not increased by tick size.'),
  quantityNotOnStep: () => new SimError(-4023, 'Quantity not increased by step size.'),
  priceNotPositive: () => new SimError(-4001, 'Price less than 0.'),
  quantityNotPositive: () => new SimError(-4003, 'Quantity less than or equal to zero.'),
  quantityBelowMin: () => new SimError(-4004, 'Quantity less than min quantity.'),
  quantityAboveMax: () => new SimError(-4005, 'Quantity greater than max quantity.'),
  stopPriceNotPositive: () => new SimError(-4006, 'Stop price less than zero.'),
  notionalTooSmall: (minNotional: number) =>
    new SimError(-4164, `Order's notional must be no smaller than ${minNotional} (unless you choose reduce only).`),
  invalidClientOrderId: () => new SimError(-4015, 'Client order id is not valid.'),
  reservedClientOrderId: (prefix: string) =>
    new SimError(-4015, `Client order id is not valid: ids starting with "${prefix}" are reserved for the ids the exchange generates.`),
  duplicateClientOrderId: () => new SimError(-4116, 'ClientOrderId is duplicated.'),
  reduceOnlyRejected: () => new SimError(-2022, 'ReduceOnly Order is rejected.'),
  marginInsufficient: () => new SimError(-2019, 'Margin is insufficient.'),
  wouldTriggerImmediately: () => new SimError(-2021, 'Order would immediately trigger.'),
  postOnlyWouldTake: () =>
    new SimError(-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.'),
  exceededMaxPosition: () => new SimError(-2027, 'Exceeded the maximum allowable position at current leverage.'),
  invalidLeverage: (leverage: number) => new SimError(-4028, `Leverage ${leverage} is not valid`),
  leverageReductionIsolated: () =>
    new SimError(-4161, 'Leverage reduction is not supported in Isolated Margin Mode with open positions'),
  unknownOrderCancel: () => new SimError(-2011, 'Unknown order sent.'),
  unknownOrderQuery: () => new SimError(-2013, 'Order does not exist.'),
  noNeedToChangeMarginType: () => new SimError(-4046, 'No need to change margin type.'),
  marginTypeOpenOrders: () => new SimError(-4047, 'Margin type cannot be changed if there exists open orders.'),
  marginTypeOpenPosition: () => new SimError(-4048, 'Margin type cannot be changed if there exists position.'),
  crossBalanceInsufficient: () => new SimError(-4050, 'Cross balance insufficient.'),
  isolatedBalanceInsufficient: () => new SimError(-4051, 'Isolated balance insufficient.'),
  noIsolatedPosition: () => new SimError(-4054, 'Cannot add position margin: position is 0.'),
  amountNotPositive: () => new SimError(-4055, 'Amount must be positive.'),
  maxOpenOrders: () => new SimError(-4044, 'Reach max open order limit.'),
  maxStopOrders: () => new SimError(-4045, 'Reach max stop order limit.'),
} as const;
