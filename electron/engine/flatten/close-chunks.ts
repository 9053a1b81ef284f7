import type { MarketInfo } from '../../../shared/domain';
import { roundDownToStep } from '../../../shared/risk/precision';

/**
 * Splits a position's size into market-order quantities the market accepts:
 * as few orders as `maxMarketAmount` allows, as even as the amount step allows,
 * none below `minAmount`. The chunks add up to `amount` rounded down to the
 * step (an exchange-reported size is already on it). When no split can respect
 * the minimum, the part that cannot be closed is left out; below the minimum
 * altogether, nothing can be sent and the result is [].
 */
export function closeChunks(amount: number, market: Pick<MarketInfo, 'amountStep' | 'minAmount' | 'maxMarketAmount'>): number[] {
  if (!(Number.isFinite(amount) && amount > 0)) throw new RangeError(`A close needs a positive amount, got ${amount}`);
  const { amountStep: step, minAmount, maxMarketAmount } = market;
  const totalSteps = Math.round(roundDownToStep(amount, step) / step);
  const minSteps = Math.max(1, Math.ceil(minAmount / step - 1e-9));
  const maxSteps = Math.floor(maxMarketAmount / step + 1e-9);
  if (maxSteps < minSteps) throw new RangeError(`Market limits allow no market order: min ${minAmount}, max ${maxMarketAmount}, step ${step}`);
  if (totalSteps < minSteps) return [];
  const count = Math.ceil(totalSteps / maxSteps);
  const base = Math.floor(totalSteps / count);
  const steps =
    base >= minSteps
      ? Array.from({ length: count }, (_, i) => base + (i < totalSteps % count ? 1 : 0))
      : Array.from({ length: Math.floor(totalSteps / maxSteps) }, () => maxSteps);
  return steps.map((n) => roundDownToStep(n * step, step));
}
