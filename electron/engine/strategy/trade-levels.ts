import type { Side } from '../../../shared/domain';

/** Where the stop sits: a percent of entry, or a multiple of ATR. */
export type StopRule = { mode: 'percent'; pct: number } | { mode: 'atr'; atr: number; multiplier: number };

export function stopPrice(side: Side, entry: number, rule: StopRule): number {
  const distance = rule.mode === 'percent' ? (entry * rule.pct) / 100 : rule.atr * rule.multiplier;
  if (!(distance > 0) || distance >= entry) throw new Error(`Stop distance ${distance} is not usable for entry ${entry}`);
  return side === 'long' ? entry - distance : entry + distance;
}

/** The take-profit at `rewardRisk` times the stop distance, on the winning side. */
export function takeProfitPrice(side: Side, entry: number, stop: number, rewardRisk: number): number {
  const distance = Math.abs(entry - stop) * rewardRisk;
  return side === 'long' ? entry + distance : entry - distance;
}
