import { HARD_LEVERAGE_CEILING } from '../../../shared/settings';
import { armed, formatNumber, type Breaker } from './breaker';

/** Entries above the user's leverage cap, or above the hard ceiling whatever the cap says, are blocked. */
export const leverageCap: Breaker = {
  id: 'leverage',
  label: 'Leverage cap',
  action: 'block-entries',
  unit: 'x',
  kind: 'gate',
  threshold: (settings) => Math.min(settings.risk.maxLeverage, HARD_LEVERAGE_CEILING),
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { entry } = snapshot;
    if (!entry) {
      const highest = snapshot.positions.length ? Math.max(...snapshot.positions.map((p) => p.leverage)) : null;
      return armed(highest, threshold, highest !== null && highest > threshold);
    }
    if (entry.leverage <= threshold) return armed(entry.leverage, threshold);
    return {
      action: 'block-entries',
      reason: `Leverage ${formatNumber(entry.leverage)}x is above the ${formatNumber(threshold)}x cap`,
      value: entry.leverage,
      threshold,
    };
  },
};
