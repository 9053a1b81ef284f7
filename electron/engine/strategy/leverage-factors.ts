/** Annualised realised volatility above `threshold` (both fractions) cuts leverage, never below half. */
export function volatilityFactor(realisedVol: number, threshold: number): number {
  return realisedVol > threshold ? Math.max(0.5, 1 - (realisedVol - threshold)) : 1;
}

/** A strong trend (ADX above 25) earns more leverage; a weak one (below 15) less. */
export function trendFactor(adx: number): number {
  if (adx > 25) return 1.2;
  if (adx < 15) return 0.8;
  return 1;
}

/** Past a 10% drawdown from the equity peak leverage halves; past 5% it drops a fifth. */
export function drawdownFactor(drawdownPct: number): number {
  if (drawdownPct > 10) return 0.5;
  if (drawdownPct > 5) return 0.8;
  return 1;
}

export interface AdaptiveLeverageInput {
  base: number;
  /** The strategy's own cap (5 by default). */
  cap: number;
  /** The user's leverage cap. */
  userMax: number;
  realisedVol: number;
  volThreshold: number;
  adx: number;
  drawdownPct: number;
}

/** Base leverage times the three factors, capped by the strategy and the user, never below 1. */
export function adaptiveLeverage(input: AdaptiveLeverageInput): number {
  const raw = input.base * volatilityFactor(input.realisedVol, input.volThreshold) * trendFactor(input.adx) * drawdownFactor(input.drawdownPct);
  return Math.max(1, Math.min(raw, input.cap, input.userMax));
}
