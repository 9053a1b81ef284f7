import { getLogReturns, getStandardDeviation } from 'trading-signals';
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Annualised realised volatility, as a fraction: the standard deviation of the
 * log returns of `closes`, scaled by the square root of bars per year.
 */
export function realisedVolatility(closes: readonly number[], timeframe: Timeframe): number {
  if (closes.length < 3) throw new Error(`Realised volatility needs at least 3 closes, got ${closes.length}`);
  const returns = getLogReturns([...closes]);
  return getStandardDeviation(returns) * Math.sqrt(YEAR_MS / TIMEFRAME_MS[timeframe]);
}
