import { armed, formatNumber, type Breaker } from './breaker';

/** How long a liquidation-distance trip holds before the breaker looks again. */
export const LIQUIDATION_DISTANCE_HOLD_MS = 60_000;
/** A warning starts at this multiple of the closing distance. */
export const LIQUIDATION_WARNING_FACTOR = 2;

/**
 * Closes any position whose mark price comes within the configured distance of
 * its liquidation price, and blocks entries that would open that close.
 */
export const liquidationDistance: Breaker = {
  id: 'liquidation-distance',
  label: 'Distance to liquidation',
  action: 'close',
  unit: '%',
  kind: 'latch',
  threshold: (settings) => settings.breakers.liquidationDistancePct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { entry } = snapshot;
    const known = snapshot.positions.filter((p) => p.distanceToLiquidationPct !== null);
    const distances = [...known.map((p) => p.distanceToLiquidationPct!), ...(entry?.distanceToLiquidationPct != null ? [entry.distanceToLiquidationPct] : [])];
    const value = distances.length ? Math.min(...distances) : null;
    const near = known.filter((p) => p.distanceToLiquidationPct! <= threshold);
    if (near.length) {
      return {
        action: 'close',
        reason: `Mark within ${formatNumber(threshold)}% of liquidation on ${near.map((p) => `${p.symbol} (${formatNumber(p.distanceToLiquidationPct!)}%)`).join(', ')}: closing`,
        value,
        threshold,
        until: snapshot.now + LIQUIDATION_DISTANCE_HOLD_MS,
        symbols: near.map((p) => p.symbol),
      };
    }
    if (entry?.distanceToLiquidationPct != null && entry.distanceToLiquidationPct <= threshold) {
      return {
        action: 'block-entries',
        reason: `This entry would open ${formatNumber(entry.distanceToLiquidationPct)}% from liquidation, inside the ${formatNumber(threshold)}% closing distance`,
        value,
        threshold,
      };
    }
    return armed(value, threshold, value !== null && value <= threshold * LIQUIDATION_WARNING_FACTOR);
  },
};
