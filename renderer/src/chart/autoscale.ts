import type { TradeLine } from './trade-lines';

export interface PriceRange {
  minValue: number;
  maxValue: number;
}

/**
 * The candles' price range widened to keep entry, stops and take-profits in
 * view (liquidation is left out: it would squash the candles flat).
 */
export function rangeWithLines(range: PriceRange | null, lines: readonly TradeLine[]): PriceRange | null {
  const prices = lines.filter((l) => l.kind !== 'liquidation').map((l) => l.price);
  if (prices.length === 0) return range;
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  if (!range) return { minValue: low, maxValue: high };
  return { minValue: Math.min(range.minValue, low), maxValue: Math.max(range.maxValue, high) };
}
