import type { MarketInfo } from '../../shared/domain';

/** Binance sends money with 8 decimals. */
export const MONEY_DECIMALS = 8;

/** Decimal places of a step such as 0.001 (3), 0.5 (1) or 10 (0). */
export function decimalsOf(step: number): number {
  if (!Number.isFinite(step) || step <= 0) throw new Error(`Not a step size: ${step}`);
  const text = step.toString();
  const exponent = /e-(\d+)$/.exec(text);
  if (exponent) {
    const mantissa = text.slice(0, text.indexOf('e'));
    const mantissaDecimals = mantissa.includes('.') ? mantissa.length - mantissa.indexOf('.') - 1 : 0;
    return Number(exponent[1]) + mantissaDecimals;
  }
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
}

/** A number as Binance writes it: a string with a fixed number of decimals, never `-0`. */
export function fixed(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(\.0+)?$/.test(text) ? text.slice(1) : text;
}

export const money = (value: number): string => fixed(value, MONEY_DECIMALS);

/** How one market's prices and quantities are written. */
export interface MarketNumbers {
  readonly priceDecimals: number;
  readonly quantityDecimals: number;
  price(value: number): string;
  /** A traded price: on the tick as Binance writes it, or with 8 decimals when it lies between ticks (a bankruptcy price). */
  tradePrice(value: number): string;
  quantity(value: number): string;
}

export function marketNumbers(market: MarketInfo): MarketNumbers {
  const priceDecimals = decimalsOf(market.tickSize);
  const quantityDecimals = decimalsOf(market.amountStep);
  return {
    priceDecimals,
    quantityDecimals,
    price: (value) => fixed(value, priceDecimals),
    tradePrice: (value) => {
      const onTick = fixed(value, priceDecimals);
      return Number(onTick) === value ? onTick : money(value);
    },
    quantity: (value) => fixed(value, quantityDecimals),
  };
}
