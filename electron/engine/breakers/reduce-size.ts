import type { MarketInfo } from '../../../shared/domain';
import { roundDownToStep } from '../../../shared/risk/precision';

/**
 * The share of a position an emergency reduce cuts, so that the order is one
 * the market accepts and does something: the configured `fraction` when its
 * amount (rounded down to the step) is at least the minimum order size; the
 * minimum size when the fraction would round below it (cutting more than asked
 * rather than nothing); the whole position when what would be left is below
 * the minimum (a remainder no later order could cut) or the position itself
 * is no larger than the minimum.
 */
export function reduceFraction(contracts: number, fraction: number, market: Pick<MarketInfo, 'amountStep' | 'minAmount'>): number {
  if (!(fraction > 0 && fraction <= 1)) throw new RangeError(`The fraction to reduce must be in (0, 1], got ${fraction}`);
  const { amountStep: step, minAmount } = market;
  if (!(contracts > 0 && step > 0)) return fraction;
  const total = Math.round(roundDownToStep(contracts, step) / step);
  if (total === 0) return fraction;
  const minSteps = Math.max(1, Math.ceil(minAmount / step - 1e-9));
  const asked = Math.round(roundDownToStep(contracts * fraction, step) / step);
  const cut = Math.max(asked, minSteps);
  if (cut >= total || total - cut < minSteps) return 1;
  if (cut === asked) return fraction;
  return (cut + 0.5) / total;
}
