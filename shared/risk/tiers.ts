import type { MarketTier } from '../domain';
import type { MarginTier } from './liquidation';
import { requireNonNegative } from './number-checks';

/** A maintenance-margin tier before its maintenance amount is known. */
export type RateTier = Omit<MarginTier, 'maintenanceAmount'>;

/**
 * Checks that tiers are usable for margin math: at least one, starting at a notional of 0,
 * contiguous and ascending, with a maintenance margin rate in [0, 1) and a maintenance amount >= 0.
 * @throws RangeError naming the first problem found.
 */
export function validateMarginTiers(tiers: readonly MarginTier[]): void {
  if (tiers.length === 0) throw new RangeError('margin tiers must not be empty');
  tiers.forEach((tier, i) => {
    const floor = i === 0 ? 0 : tiers[i - 1]!.maxNotional;
    if (tier.minNotional !== floor) throw new RangeError(`margin tier ${i + 1} must start at notional ${floor}, got ${tier.minNotional}`);
    if (!(tier.maxNotional > tier.minNotional)) throw new RangeError(`margin tier ${i + 1} must end above where it starts, got ${tier.maxNotional}`);
    if (!(tier.maintenanceMarginRate >= 0 && tier.maintenanceMarginRate < 1)) {
      throw new RangeError(`margin tier ${i + 1} maintenance margin rate must be in [0, 1), got ${tier.maintenanceMarginRate}`);
    }
    requireNonNegative(`margin tier ${i + 1} maintenance amount`, tier.maintenanceAmount);
  });
}

/**
 * The index of the tier whose [minNotional, maxNotional) range holds `notional`.
 * A notional at a boundary belongs to the higher tier; one beyond the last tier uses the last tier.
 */
export function tierIndexForNotional(notional: number, tiers: readonly { maxNotional: number }[]): number {
  requireNonNegative('notional', notional);
  if (tiers.length === 0) throw new RangeError('margin tiers must not be empty');
  const index = tiers.findIndex((tier) => notional < tier.maxNotional);
  return index === -1 ? tiers.length - 1 : index;
}

/** Maintenance margin of a position of this notional: notional × MMR − maintenance amount of its tier. */
export function maintenanceMargin(notional: number, tiers: readonly MarginTier[]): number {
  const tier = tiers[tierIndexForNotional(notional, tiers)]!;
  return notional * tier.maintenanceMarginRate - tier.maintenanceAmount;
}

/** The highest leverage the exchange allows for a position of this notional. */
export function maxLeverageForNotional(notional: number, tiers: readonly MarketTier[]): number {
  return tiers[tierIndexForNotional(notional, tiers)]!.maxLeverage;
}

/** The app's market tiers (Binance leverageBracket shape) as margin tiers, keeping the exchange's own maintenance amounts. */
export function toMarginTiers(tiers: readonly MarketTier[]): MarginTier[] {
  return tiers.map(({ minNotional, maxNotional, maintenanceMarginRate, maintenanceAmount }) => ({
    minNotional,
    maxNotional,
    maintenanceMarginRate,
    maintenanceAmount,
  }));
}

/**
 * Margin tiers from rates only, with each maintenance amount derived as Binance publishes it:
 * cum_n = floor_n × (MMR_n − MMR_{n−1}) + cum_{n−1}, with cum_0 = 0 and MMR_0 = 0.
 * Use it only when the exchange gives no maintenance amount of its own.
 */
export function withCumulativeAmounts(tiers: readonly RateTier[]): MarginTier[] {
  const result: MarginTier[] = [];
  let previousRate = 0;
  let previousAmount = 0;
  for (const tier of tiers) {
    const maintenanceAmount = tier.minNotional * (tier.maintenanceMarginRate - previousRate) + previousAmount;
    result.push({ ...tier, maintenanceAmount });
    previousRate = tier.maintenanceMarginRate;
    previousAmount = maintenanceAmount;
  }
  validateMarginTiers(result);
  return result;
}
