import type { Side } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';

export interface PullbackReading {
  smaFast: number;
  smaSlow: number;
  rsi: number;
}

/**
 * The trend-pullback entry: an up-trend (fast SMA above slow) with an oversold
 * RSI enters long; a down-trend with an overbought RSI enters short.
 */
export function pullbackSide(reading: PullbackReading, settings: Pick<StrategySettings, 'rsiLongBelow' | 'rsiShortAbove'>): Side | null {
  if (reading.smaFast > reading.smaSlow && reading.rsi < settings.rsiLongBelow) return 'long';
  if (reading.smaFast < reading.smaSlow && reading.rsi > settings.rsiShortAbove) return 'short';
  return null;
}

export function describePullback(side: Side, reading: PullbackReading, settings: Pick<StrategySettings, 'smaFast' | 'smaSlow' | 'rsiPeriod'>): string {
  const trend = side === 'long' ? 'above' : 'below';
  return `SMA${settings.smaFast} ${reading.smaFast.toPrecision(6)} ${trend} SMA${settings.smaSlow} ${reading.smaSlow.toPrecision(6)}, RSI${settings.rsiPeriod} ${reading.rsi.toFixed(1)}`;
}
