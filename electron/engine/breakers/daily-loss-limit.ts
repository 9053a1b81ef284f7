import { armed, formatNumber, percentOf, type Breaker } from './breaker';
import { dayEnd } from './trading-periods';

/** Stops new entries, and by default the strategies, for the rest of the UTC day once equity (realised plus unrealised) has lost the limit since the day began. */
export const dailyLossLimit: Breaker = {
  id: 'daily-loss',
  label: 'Daily loss limit',
  action: 'block-entries',
  unit: '%',
  kind: 'latch',
  haltsStrategies: (settings) => settings.breakers.lossLimitsHaltStrategies,
  rebaseOnReset: 'day',
  threshold: (settings) => settings.breakers.dailyLossPct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { equity, dayStartEquity } = snapshot;
    if (equity === null || dayStartEquity === null || dayStartEquity <= 0) return armed(null, threshold);
    const lossPct = Math.max(0, percentOf(dayStartEquity - equity, dayStartEquity));
    if (lossPct < threshold) return armed(lossPct, threshold);
    return {
      action: 'block-entries',
      reason: `Down ${formatNumber(lossPct)}% today (limit ${formatNumber(threshold)}%): no new entries until 00:00 UTC`,
      value: lossPct,
      threshold,
      until: dayEnd(snapshot.now),
    };
  },
};
