import { armed, formatNumber, percentOf, type Breaker } from './breaker';

/** One position's margin, as a percent of equity, may not exceed the cap; entries that would pass it are blocked. */
export const positionExposureCap: Breaker = {
  id: 'position-exposure',
  label: 'One position (margin)',
  action: 'block-entries',
  unit: '%',
  kind: 'gate',
  threshold: (settings) => settings.breakers.maxPositionMarginPct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { equity, entry } = snapshot;
    if (equity === null || equity <= 0) {
      return entry
        ? { action: 'block-entries', reason: 'Account equity is not known or not positive: position size cannot be checked', value: null, threshold }
        : armed(null, threshold);
    }
    if (!entry) {
      const largest = Math.max(0, ...snapshot.positions.map((p) => percentOf(p.margin, equity)));
      return armed(largest, threshold, largest >= threshold);
    }
    const existing = snapshot.positions.filter((p) => p.symbol === entry.symbol).reduce((sum, p) => sum + p.margin, 0);
    const afterPct = percentOf(existing + entry.margin, equity);
    if (afterPct <= threshold) return armed(afterPct, threshold);
    return {
      action: 'block-entries',
      reason: `A ${entry.symbol} position with ${formatNumber(afterPct)}% of equity as margin is over the ${formatNumber(threshold)}% cap`,
      value: afterPct,
      threshold,
    };
  },
};
