import type { Timeframe } from '../../../shared/domain';
import { DEFAULT_SETTINGS, settingsSchema, type Settings, type StrategySettings } from '../../../shared/settings';
import { buildStrategy } from '../strategy/catalog';
import type { Strategy } from '../strategy/strategy';
import { loadStrategyFile, type StrategyParams } from '../strategy/strategy-file';
import type { Assignment } from './cli-args';

/**
 * Which strategy a run uses, in a form a worker thread can be sent: a built-in
 * one with its settings, or a strategy file with its parameters.
 */
export type StrategySpec = { kind: 'builtin'; settings: StrategySettings } | { kind: 'file'; file: string; params: StrategyParams; timeframe: Timeframe | null };

/** The settings and strategy of one run, after `--set` (or one sweep combination) applied. */
export interface RunSetup {
  settings: Settings;
  strategy: StrategySpec;
}

const BUILTIN_IDS = DEFAULT_SETTINGS.strategies.map((s) => s.id);

function setIn(section: 'risk' | 'breakers', target: Record<string, unknown>, key: string, value: unknown): void {
  if (!(key in target)) throw new Error(`--set ${section}.${key}: no such ${section} setting; known: ${Object.keys(target).join(', ')}`);
  target[key] = value;
}

/**
 * Applies `key=value` assignments: `risk.X` and `breakers.X` change a risk or
 * breaker setting; any other key is a strategy parameter (for a built-in
 * strategy one of its settings, `leverage` standing for its base leverage). The
 * result is checked as the cockpit checks settings; a bad value is a clear error.
 */
export function applyAssignments(base: Settings, strategy: string | null, file: string | null, timeframe: Timeframe | null, assignments: readonly Assignment[]): RunSetup {
  const risk: Record<string, unknown> = { ...base.risk };
  const breakers: Record<string, unknown> = { ...base.breakers };
  const params: StrategyParams = {};
  let builtin: Record<string, unknown> | null = null;
  if (!file) {
    const found = base.strategies.find((s) => s.id === strategy) ?? DEFAULT_SETTINGS.strategies.find((s) => s.id === strategy);
    if (!found) throw new Error(`Unknown strategy "${strategy}"; built in: ${BUILTIN_IDS.join(', ')} (or give --strategy-file FILE)`);
    builtin = { ...found, ...(timeframe ? { timeframe } : {}) };
  }
  for (const [key, value] of assignments) {
    if (key.startsWith('risk.')) setIn('risk', risk, key.slice(5), value);
    else if (key.startsWith('breakers.')) setIn('breakers', breakers, key.slice(9), value);
    else if (!builtin) params[key] = value;
    else if (key === 'leverage') {
      builtin.baseLeverage = value;
      if (typeof value === 'number') builtin.leverageCap = Math.max(Number(builtin.leverageCap), value);
    } else if (key in builtin && key !== 'id') builtin[key] = value;
    else throw new Error(`--set ${key}: strategy ${strategy} has no such parameter; known: leverage, ${Object.keys(builtin).filter((k) => k !== 'id').join(', ')}, risk.*, breakers.*`);
  }
  const parsed = settingsSchema.safeParse({ ...base, risk, breakers, strategies: builtin ? [builtin] : base.strategies });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.filter((p) => typeof p !== 'number').join('.')}: ${issue.message}`);
    throw new Error(`Bad setting: ${problems.join('; ')}`);
  }
  const settings = parsed.data;
  return {
    settings,
    strategy: builtin ? { kind: 'builtin', settings: settings.strategies[0]! } : { kind: 'file', file: file!, params, timeframe },
  };
}

/** Builds the strategy a spec names. A file strategy's timeframe must match `--timeframe` when one is given. */
export async function strategyOf(spec: StrategySpec): Promise<Strategy> {
  if (spec.kind === 'builtin') return buildStrategy(spec.settings);
  const strategy = await loadStrategyFile(spec.file, spec.params);
  if (spec.timeframe && strategy.timeframe !== spec.timeframe) throw new Error(`Strategy file ${spec.file} runs on ${strategy.timeframe}, not --timeframe ${spec.timeframe}`);
  return strategy;
}

/** The strategy's open-position limit: a built-in one's setting, else the default. */
export const maxConcurrentOf = (spec: StrategySpec): number | undefined => (spec.kind === 'builtin' ? spec.settings.maxConcurrentPositions : undefined);
