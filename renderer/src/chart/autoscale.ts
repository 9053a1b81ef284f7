import type { TradeLine } from './trade-lines';

export interface PriceRange {
  minValue: number;
  maxValue: number;
}

/**
 * The candles' price range widened to keep entry, stops and take-profits in
 * view (liquidation is left out: it would squash the candles flat), and any
 * line whose key is in `fitted` (the user asked to see it from its edge marker).
 */
export function rangeWithLines(range: PriceRange | null, lines: readonly TradeLine[], fitted: ReadonlySet<string> = new Set()): PriceRange | null {
  const prices = lines.filter((l) => l.kind !== 'liquidation' || fitted.has(l.key)).map((l) => l.price);
  if (prices.length === 0) return range;
  const low = Math.min(...prices);
  const high = Math.max(...prices);
  if (!range) return { minValue: low, maxValue: high };
  return { minValue: Math.min(range.minValue, low), maxValue: Math.max(range.maxValue, high) };
}
