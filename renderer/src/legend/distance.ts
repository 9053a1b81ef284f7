import type { Side } from '../../../shared/domain';
import { price as asPrice, quantity as asQuantity } from '../../../shared/money';
import { unrealizedPnl } from '../../../shared/risk/measures';

/** Signed distance from mark to a price, as a percent of mark (positive when the price is above mark). */
export function distancePct(price: number, mark: number): number | null {
  if (!Number.isFinite(price) || !Number.isFinite(mark) || mark <= 0) return null;
  return ((price - mark) / mark) * 100;
}

/**
 * What a position of `quantity` on `side` would gain (positive) or lose
 * (negative) if price moved from mark to `price`.
 */
export function distanceMoney(price: number, mark: number, quantity: number, side: Side): number | null {
  if (!isPositive(price) || !isPositive(mark) || !(Number.isFinite(quantity) && quantity >= 0)) return null;
  return unrealizedPnl(side, asQuantity(quantity), asPrice(mark), asPrice(price));
}

const isPositive = (n: number): boolean => Number.isFinite(n) && n > 0;

export type LiquidationGrade = 'none' | 'safe' | 'caution' | 'danger';

/**
 * Colour grade for the distance to liquidation (positive while price is on the
 * safe side): danger at or inside the breaker's threshold or past liquidation,
 * caution inside twice the threshold, safe beyond.
 */
export function liquidationGrade(distanceToLiquidationPct: number | null, thresholdPct: number): LiquidationGrade {
  if (distanceToLiquidationPct === null || !Number.isFinite(distanceToLiquidationPct)) return 'none';
  if (distanceToLiquidationPct <= thresholdPct) return 'danger';
  if (distanceToLiquidationPct <= thresholdPct * 2) return 'caution';
  return 'safe';
}
