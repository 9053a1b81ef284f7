import { armed, formatNumber, type Breaker } from './breaker';

/** How long a volatility halt holds before the breaker looks again. */
export const VOLATILITY_HOLD_MS = 15 * 60_000;

/** The most volatile of the markets measured, or null before any is. */
export function mostVolatile(volatilityPct: Record<string, number>): [symbol: string, pct: number] | null {
  const measured = Object.entries(volatilityPct).filter(([, v]) => Number.isFinite(v));
  return measured.length ? measured.reduce((top, next) => (next[1] > top[1] ? next : top)) : null;
}

/** Stops new entries while any watched market's annualised realised volatility is at or above the threshold. */
export const volatilityHalt: Breaker = {
  id: 'volatility',
  label: 'Volatility halt',
  action: 'block-entries',
  unit: '%',
  kind: 'latch',
  threshold: (settings) => settings.breakers.volatilityHaltPct,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const top = mostVolatile(snapshot.volatilityPct);
    if (!top) return armed(null, threshold);
    const [symbol, value] = top;
    if (value < threshold) return armed(value, threshold);
    return {
      action: 'block-entries',
      reason: `${symbol} realised volatility ${formatNumber(value, 0)}% (annualised) is at or above ${formatNumber(threshold, 0)}%: no new entries`,
      value,
      threshold,
      until: snapshot.now + VOLATILITY_HOLD_MS,
    };
  },
};
