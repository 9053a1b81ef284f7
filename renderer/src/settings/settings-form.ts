import { settingsFieldErrors, settingsSchema, type Settings, type StrategySettings } from '../../../shared/settings';
import { TIMEFRAMES } from '../../../shared/domain';

/** One editable setting: where it lives in {@link Settings} and how to show it. */
export interface FieldSpec {
  /** Dotted path, as the schema reports errors (`risk.riskPerTrade`, `strategies.0.smaFast`). */
  path: string;
  label: string;
  kind: 'number' | 'boolean' | 'select' | 'text';
  options?: readonly string[];
  hint?: string;
  /** A number that may be left empty: the setting is then left out. */
  optional?: boolean;
}

export const RISK_FIELDS: readonly FieldSpec[] = [
  { path: 'risk.riskPerTrade', label: 'Risk per trade', kind: 'number', hint: 'fraction of equity: 0.01 = 1%' },
  { path: 'risk.maxLeverage', label: 'Max leverage', kind: 'number', hint: 'x, hard ceiling 20' },
  { path: 'risk.minRewardRisk', label: 'Min reward:risk', kind: 'number' },
  { path: 'risk.liquidationBuffer', label: 'Liquidation buffer', kind: 'number', hint: 'stop within this fraction of the way to liquidation' },
  { path: 'risk.maxPositionNotional', label: 'Max position notional', kind: 'number', hint: '× equity' },
  { path: 'risk.maxTotalExposure', label: 'Max total exposure', kind: 'number', hint: '× equity' },
  { path: 'risk.marginMode', label: 'Margin mode', kind: 'select', options: ['isolated', 'cross'] },
  { path: 'risk.priceTolerancePct', label: 'Approval price tolerance', kind: 'number', hint: '%' },
  { path: 'risk.proposalTtlCandles', label: 'Proposal TTL (candles)', kind: 'number' },
  { path: 'risk.proposalTtlMs', label: 'Proposal TTL (ms)', kind: 'number' },
];

export const BREAKER_FIELDS: readonly FieldSpec[] = [
  { path: 'breakers.dailyLossPct', label: 'Daily loss limit', kind: 'number', hint: '% of equity' },
  { path: 'breakers.weeklyLossPct', label: 'Weekly loss limit', kind: 'number', hint: '% of equity' },
  { path: 'breakers.consecutiveLosses', label: 'Consecutive losses', kind: 'number' },
  { path: 'breakers.cooldownMinutes', label: 'Cooldown', kind: 'number', hint: 'minutes' },
  { path: 'breakers.maxDrawdownPct', label: 'Max drawdown', kind: 'number', hint: '%' },
  { path: 'breakers.maxTotalMarginPct', label: 'Max total margin', kind: 'number', hint: '% of equity' },
  { path: 'breakers.maxPositionMarginPct', label: 'Max position margin', kind: 'number', hint: '% of equity' },
  { path: 'breakers.marginRatioWarnPct', label: 'Margin ratio warning', kind: 'number', hint: '%' },
  { path: 'breakers.marginRatioEmergencyPct', label: 'Margin ratio emergency', kind: 'number', hint: '%' },
  { path: 'breakers.marginRatioReduceFraction', label: 'Emergency reduce fraction', kind: 'number', hint: '0.3 = cut 30%' },
  { path: 'breakers.liquidationDistancePct', label: 'Min distance to liquidation', kind: 'number', hint: '%' },
  { path: 'breakers.volatilityHaltPct', label: 'Volatility halt', kind: 'number', hint: 'annualised %' },
  { path: 'breakers.lossLimitsHaltStrategies', label: 'Loss limits stop the strategies', kind: 'boolean', hint: 'until the day or week ends, or you resume them' },
  { path: 'breakers.strategyMaxLeverage', label: 'Strategies’ max leverage', kind: 'number', hint: 'x, apart from the manual cap' },
  { path: 'breakers.volatilityFlattenEnabled', label: 'Volatility flatten', kind: 'boolean', hint: 'close everything at the threshold below' },
  { path: 'breakers.volatilityFlattenDailyPct', label: 'Volatility flatten at', kind: 'number', hint: '% a day (realised)' },
];

export const SHORTCUT_FIELDS: readonly FieldSpec[] = [
  {
    path: 'shortcuts.globalPanic',
    label: 'System-wide panic chord',
    kind: 'text',
    hint: 'desktop app, works from any app; e.g. CommandOrControl+Alt+Shift+F',
  },
];

const STRATEGY_PARAMS: readonly (Omit<FieldSpec, 'path'> & { key: keyof StrategySettings })[] = [
  { key: 'enabled', label: 'Enabled', kind: 'boolean' },
  { key: 'auto', label: 'Auto-execute', kind: 'boolean' },
  { key: 'timeframe', label: 'Timeframe', kind: 'select', options: TIMEFRAMES },
  { key: 'smaFast', label: 'Fast SMA', kind: 'number' },
  { key: 'smaSlow', label: 'Slow SMA', kind: 'number' },
  { key: 'rsiPeriod', label: 'RSI period', kind: 'number' },
  { key: 'rsiLongBelow', label: 'RSI long below', kind: 'number' },
  { key: 'rsiShortAbove', label: 'RSI short above', kind: 'number' },
  { key: 'stopMode', label: 'Stop mode', kind: 'select', options: ['percent', 'atr'] },
  { key: 'stopPct', label: 'Stop %', kind: 'number' },
  { key: 'atrPeriod', label: 'ATR period', kind: 'number' },
  { key: 'atrMultiplier', label: 'ATR multiplier', kind: 'number' },
  { key: 'rewardRisk', label: 'Reward:risk', kind: 'number' },
  { key: 'maxConcurrentPositions', label: 'Max concurrent positions', kind: 'number' },
  { key: 'baseLeverage', label: 'Base leverage', kind: 'number' },
  { key: 'leverageCap', label: 'Leverage cap', kind: 'number' },
  { key: 'volatilityThreshold', label: 'Volatility threshold', kind: 'number', hint: 'fraction: 0.8 = 80%' },
  {
    key: 'riskPerTrade',
    label: 'Risk per trade',
    kind: 'number',
    optional: true,
    hint: "fraction of equity, at most your global risk; empty: the strategy's own (adaptive 1.5%) or the global",
  },
];

/** The parameter fields of the strategy at `index`. */
export function strategyFields(index: number): FieldSpec[] {
  return STRATEGY_PARAMS.map(({ key, ...spec }) => ({ ...spec, path: `strategies.${index}.${key}` }));
}

export const SYMBOLS_PATH = 'symbols';

/** The form's values: text for numbers (exactly as typed), booleans for toggles. */
export type SettingsDraft = Record<string, string | boolean>;

function read(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], obj);
}

/** Sets the value at `path`; `undefined` removes the key (an optional setting left empty). */
function write(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = obj;
  for (const key of keys.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

function allFields(settings: Settings): FieldSpec[] {
  return [...RISK_FIELDS, ...BREAKER_FIELDS, ...SHORTCUT_FIELDS, ...settings.strategies.flatMap((_, i) => strategyFields(i))];
}

/** Settings as the form shows them. */
export function toDraft(settings: Settings): SettingsDraft {
  const draft: SettingsDraft = { [SYMBOLS_PATH]: settings.symbols.join(', ') };
  for (const field of allFields(settings)) {
    const value = read(settings, field.path);
    draft[field.path] = field.kind === 'boolean' ? Boolean(value) : value === undefined && field.optional ? '' : String(value);
  }
  return draft;
}

export type DraftParse = { ok: true; settings: Settings } | { ok: false; fields: Record<string, string> };

/**
 * Reads the form back into settings and validates them with the shared
 * schema. Every problem comes back keyed by its field's path.
 */
export function fromDraft(draft: SettingsDraft, base: Settings): DraftParse {
  const candidate = structuredClone(base) as unknown as Record<string, unknown>;
  const fields: Record<string, string> = {};
  for (const field of allFields(base)) {
    const raw = draft[field.path];
    if (field.kind === 'boolean') write(candidate, field.path, raw === true);
    else if (field.kind === 'select' || field.kind === 'text') write(candidate, field.path, String(raw ?? '').trim());
    else {
      const text = String(raw ?? '').trim();
      const value = Number(text);
      if (text === '' && field.optional) write(candidate, field.path, undefined);
      else {
        if (text === '' || !Number.isFinite(value)) fields[field.path] = 'enter a number';
        write(candidate, field.path, value);
      }
    }
  }
  const symbols = String(draft[SYMBOLS_PATH] ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  candidate.symbols = symbols;

  const parsed = settingsSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const [path, message] of Object.entries(settingsFieldErrors(parsed.error))) {
      const field = path.startsWith(`${SYMBOLS_PATH}.`) ? SYMBOLS_PATH : path;
      fields[field] ??= field === SYMBOLS_PATH && path !== field ? `${symbols[Number(path.split('.')[1])] ?? ''}: ${message}` : message;
    }
  }
  if (Object.keys(fields).length > 0 || !parsed.success) return { ok: false, fields };
  return { ok: true, settings: parsed.data };
}
