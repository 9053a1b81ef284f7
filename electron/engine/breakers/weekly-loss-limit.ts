import { armed, formatNumber, percentOf, type Breaker } from './breaker';
import { weekEnd } from './trading-periods';

/** Stops new entries, and by default the strategies, until Monday 00:00 UTC once equity has lost the limit since the week began. */
export const weeklyLossLimit: Breaker = {
  id: 'weekly-loss',
  label: 'Weekly loss limit',
  action: 'block-entries',
  unit: '%',
  kind: 'latch',
  haltsStrategies: (settings) => settings.breakers.lossLimitsHaltStrategies,
  rebaseOnReset: 'week',
  threshold: (settings) => settings.breakers.weeklyLossPct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { equity, weekStartEquity } = snapshot;
    if (equity === null || weekStartEquity === null || weekStartEquity <= 0) return armed(null, threshold);
    const lossPct = Math.max(0, percentOf(weekStartEquity - equity, weekStartEquity));
    if (lossPct < threshold) return armed(lossPct, threshold);
    return {
      action: 'block-entries',
      reason: `Down ${formatNumber(lossPct)}% this week (limit ${formatNumber(threshold)}%): no new entries until Monday 00:00 UTC`,
      value: lossPct,
      threshold,
      until: weekEnd(snapshot.now),
    };
  },
};
