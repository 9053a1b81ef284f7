import { armed, formatNumber, type Breaker } from './breaker';
import { mostVolatile } from './volatility-halt';

/** Annualised volatility (a year of 365 days, as the sampler scales it) in daily terms. */
export const dailyFromAnnualPct = (annualPct: number): number => annualPct / Math.sqrt(365);

/**
 * When enabled (off by default), flattens everything and stops the strategies once any watched market's
 * realised volatility, in daily terms, reaches the threshold (8% a day by default); it holds until the user resets it.
 * Its value and threshold are daily, as the settings and the breakers panel show them.
 */
export const volatilityFlatten: Breaker = {
  id: 'volatility-flatten',
  label: 'Volatility flatten (daily)',
  action: 'flatten',
  unit: '%',
  kind: 'latch',
  threshold: (settings) => settings.breakers.volatilityFlattenDailyPct,
  enabled: (settings) => settings.breakers.volatilityFlattenEnabled,
  evaluate(snapshot, settings) {
    const threshold = this.threshold(settings);
    const top = mostVolatile(snapshot.volatilityPct);
    if (!top) return armed(null, threshold);
    const [symbol, annual] = top;
    const daily = dailyFromAnnualPct(annual);
    if (!this.enabled!(settings) || daily < threshold) return armed(daily, threshold);
    return {
      action: 'flatten',
      reason: `${symbol} realised volatility ${formatNumber(daily)}% a day is at or above ${formatNumber(threshold)}%: flattened, strategies stopped`,
      value: daily,
      threshold,
      until: null,
    };
  },
};
