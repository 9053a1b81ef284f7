import type { CheckViolation, MarketInfo } from '../domain';
import { formatNumber, formatUsd } from './message-format';
import { isOnStep } from './precision';

/** The market facts that decide whether an order quantity is accepted. */
export type MarketLimits = Pick<MarketInfo, 'base' | 'amountStep' | 'minAmount' | 'maxAmount' | 'maxMarketAmount' | 'minNotional'>;

/**
 * Every reason the market would reject an order of `quantity` at `price`: below the smallest order,
 * off the amount step, above the largest (market) order, or below the minimum notional.
 * Expects a validated market and a non-negative quantity.
 */
export function marketLimitViolations(quantity: number, price: number, market: MarketLimits): CheckViolation[] {
  const violations: CheckViolation[] = [];
  const reject = (message: string): void => void violations.push({ rule: 'market-limits', message });
  const smallest = Math.max(market.minAmount, market.amountStep);
  const largest = Math.min(market.maxAmount, market.maxMarketAmount);
  if (quantity < smallest) {
    reject(`The size is ${formatNumber(quantity)} ${market.base}, below the smallest order of ${formatNumber(smallest)} ${market.base}.`);
  } else if (!isOnStep(quantity, market.amountStep)) {
    reject(`The size ${formatNumber(quantity)} ${market.base} is not a whole number of ${formatNumber(market.amountStep)} ${market.base} steps.`);
  }
  if (quantity > largest) {
    reject(`The size is ${formatNumber(quantity)} ${market.base}, above the largest order of ${formatNumber(largest)} ${market.base}.`);
  }
  if (quantity * price < market.minNotional) {
    reject(`This order is worth ${formatUsd(quantity * price)}, below the market's minimum order value of ${formatUsd(market.minNotional)}.`);
  }
  return violations;
}
