import { armed, formatNumber, percentOf, type Breaker } from './breaker';

/** Percent of equity below its peak (0 at or above it); null while either is unknown. */
export function drawdownFromPeakPct(equity: number | null, peakEquity: number | null): number | null {
  if (equity === null || peakEquity === null || peakEquity <= 0) return null;
  return Math.max(0, percentOf(peakEquity - equity, peakEquity));
}

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
    const { peakEquity } = snapshot;
    const drawdownPct = drawdownFromPeakPct(snapshot.equity, peakEquity);
    if (drawdownPct === null || peakEquity === null) return armed(null, threshold);
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
