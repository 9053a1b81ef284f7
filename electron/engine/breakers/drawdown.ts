import { armed, formatNumber, percentOf, type Breaker } from './breaker';

/** At the limit below the equity peak, flattens everything and stops the strategy loop until the user resets it. */
export const drawdown: Breaker = {
  id: 'drawdown',
  label: 'Drawdown from peak',
  action: 'flatten',
  unit: '%',
  kind: 'latch',
  rebaseOnReset: 'peak',
  threshold: (settings) => settings.breakers.maxDrawdownPct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const { equity, peakEquity } = snapshot;
    if (equity === null || peakEquity === null || peakEquity <= 0) return armed(null, threshold);
    const drawdownPct = Math.max(0, percentOf(peakEquity - equity, peakEquity));
    if (drawdownPct < threshold) return armed(drawdownPct, threshold);
    return {
      action: 'flatten',
      reason: `Equity ${formatNumber(drawdownPct)}% below its peak of ${formatNumber(peakEquity)} (limit ${formatNumber(threshold)}%): flattened, strategies stopped`,
      value: drawdownPct,
      threshold,
      until: null,
    };
  },
};
