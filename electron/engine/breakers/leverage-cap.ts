import { HARD_LEVERAGE_CEILING } from '../../../shared/settings';
import { armed, formatNumber, type Breaker } from './breaker';

/**
 * Entries above the user's leverage cap, or above the hard ceiling whatever the cap says, are blocked;
 * a strategy's entry is held to the strategies' own cap as well (5x by default).
 */
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
    const strategyCap = settings.breakers.strategyMaxLeverage;
    if (entry.automated && entry.leverage > strategyCap && strategyCap < threshold) {
      return {
        action: 'block-entries',
        reason: `Leverage ${formatNumber(entry.leverage)}x is above the ${formatNumber(strategyCap)}x cap for strategies`,
        value: entry.leverage,
        threshold: strategyCap,
      };
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
