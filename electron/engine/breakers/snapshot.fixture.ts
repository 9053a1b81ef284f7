import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import type { BreakerSnapshot, EntryIntent, PositionExposure } from './breaker';

/** Test data: a calm 10,000 USDT account with no positions, at a fixed time. */
export const NOW = Date.parse('2025-03-12T12:00:00Z');

export function snapshot(overrides: Partial<BreakerSnapshot> = {}): BreakerSnapshot {
  return {
    now: NOW,
    equity: 10_000,
    dayStartEquity: 10_000,
    weekStartEquity: 10_000,
    peakEquity: 10_000,
    lossStreak: { count: 0, lastLossAt: null },
    accountMarginRatioPct: null,
    positions: [],
    volatilityPct: {},
    entry: null,
    ...overrides,
  };
}

export function position(overrides: Partial<PositionExposure> = {}): PositionExposure {
  return {
    symbol: 'BTC/USDT:USDT',
    side: 'long',
    contracts: 0.1,
    markPrice: 60_000,
    leverage: 5,
    marginMode: 'isolated',
    margin: 1_200,
    marginRatioPct: 10,
    distanceToLiquidationPct: 19,
    ...overrides,
  };
}

export function entry(overrides: Partial<EntryIntent> = {}): EntryIntent {
  return { symbol: 'ETH/USDT:USDT', side: 'long', leverage: 3, margin: 500, notional: 1_500, distanceToLiquidationPct: 30, ...overrides };
}

export function settingsWith(breakers: Partial<Settings['breakers']> = {}, risk: Partial<Settings['risk']> = {}): Settings {
  const s = structuredClone(DEFAULT_SETTINGS);
  return { ...s, breakers: { ...s.breakers, ...breakers }, risk: { ...s.risk, ...risk } };
}
