import { armed, formatNumber, type Breaker } from './breaker';

/** How long a margin-ratio trip holds before the breaker looks again. */
export const MARGIN_RATIO_HOLD_MS = 60_000;

/**
 * Warns when a position's margin ratio (isolated) or the account's (cross) passes
 * the warning level; past the emergency level, cuts those positions by the
 * configured fraction with reduce-only orders.
 */
export const marginRatio: Breaker = {
  id: 'margin-ratio',
  label: 'Margin ratio',
  action: 'reduce',
  unit: '%',
  kind: 'latch',
  threshold: (settings) => settings.breakers.marginRatioEmergencyPct,
  evaluate(snapshot, settings) {
    const { marginRatioWarnPct: warn, marginRatioEmergencyPct: emergency, marginRatioReduceFraction: fraction } = settings.breakers;
    const account = snapshot.accountMarginRatioPct;
    const cross = snapshot.positions.filter((p) => p.marginMode === 'cross');
    const isolated = snapshot.positions.filter((p) => p.marginMode === 'isolated' && p.marginRatioPct !== null);
    const ratios = [...isolated.map((p) => p.marginRatioPct!), ...(cross.length && account !== null ? [account] : [])];
    if (!ratios.length) return armed(null, emergency);
    const value = Math.max(...ratios);
    const symbols = [
      ...isolated.filter((p) => p.marginRatioPct! >= emergency).map((p) => p.symbol),
      ...(account !== null && account >= emergency ? cross.map((p) => p.symbol) : []),
    ];
    if (!symbols.length) return armed(value, emergency, value >= warn);
    return {
      action: 'reduce',
      reason: `Margin ratio ${formatNumber(value)}% is past the ${formatNumber(emergency)}% emergency level: cutting ${symbols.join(', ')} by ${formatNumber(fraction * 100)}%`,
      value,
      threshold: emergency,
      until: snapshot.now + MARGIN_RATIO_HOLD_MS,
      symbols,
      fraction,
    };
  },
};
