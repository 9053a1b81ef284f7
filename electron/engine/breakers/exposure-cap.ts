import { armed, formatNumber, percentOf, type Breaker } from './breaker';

/** Total margin in use, as a percent of equity, may not exceed the cap; entries that would pass it are blocked. */
export const exposureCap: Breaker = {
  id: 'total-exposure',
  label: 'Total exposure (margin)',
  action: 'block-entries',
  unit: '%',
  kind: 'gate',
  threshold: (settings) => settings.breakers.maxTotalMarginPct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { equity, entry } = snapshot;
    if (equity === null || equity <= 0) {
      return entry
        ? { action: 'block-entries', reason: 'Account equity is not known or not positive: exposure cannot be checked', value: null, threshold }
        : armed(null, threshold);
    }
    const inUse = snapshot.positions.reduce((sum, p) => sum + p.margin, 0);
    const currentPct = percentOf(inUse, equity);
    if (!entry) {
      if (currentPct < threshold) return armed(currentPct, threshold);
      return { action: 'block-entries', reason: `Margin in use is ${formatNumber(currentPct)}% of equity (cap ${formatNumber(threshold)}%)`, value: currentPct, threshold };
    }
    const afterPct = percentOf(inUse + entry.margin, equity);
    if (afterPct <= threshold) return armed(afterPct, threshold);
    return {
      action: 'block-entries',
      reason: `This entry would bring margin in use to ${formatNumber(afterPct)}% of equity (cap ${formatNumber(threshold)}%)`,
      value: afterPct,
      threshold,
    };
  },
};
