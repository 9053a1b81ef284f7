import { TIMEFRAMES, type StrategyParamSpec, type Timeframe } from '../../../shared/domain';
import type { Strategy, SymbolStrategy } from './strategy';

/** Parameter values by name, as a strategy file receives them. */
export type StrategyParams = Readonly<Record<string, number>>;

/** One parameter a strategy file declares. */
export interface StrategyParamDeclaration {
  default: number;
  min: number;
  max: number;
  /** Only whole numbers (default false). */
  integer?: boolean;
}

/**
 * What a strategy file's default export is: the built-in strategy interface,
 * with its parameters declared (defaults and bounds) and handed in.
 *
 * @example
 * ```ts
 * export default {
 *   label: 'Breakout',
 *   timeframe: '1m',
 *   params: { lookback: { default: 20, min: 5, max: 200, integer: true } },
 *   warmup: (p) => p.lookback,
 *   forSymbol(symbol, p) {
 *     return { onCandle(candle, context) { return null; } };
 *   },
 * };
 * ```
 */
export interface StrategyDefinition {
  label: string;
  timeframe: Timeframe;
  params?: Record<string, StrategyParamDeclaration>;
  /** Closed candles needed before signals mean anything, or how to work it out from the parameters. */
  warmup: number | ((params: StrategyParams) => number);
  /** The strategy's state for one symbol, fed every closed candle, oldest first. */
  forSymbol(symbol: string, params: StrategyParams): SymbolStrategy;
}

const MAX_WARMUP = 5_000;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The export as a strategy definition, or an error that says what is missing or wrong. */
export function readDefinition(exported: unknown): StrategyDefinition {
  const problem = (what: string) => new Error(`its default export is not a strategy: ${what}`);
  if (!isRecord(exported)) throw problem(`expected an object, got ${exported === undefined ? 'nothing (no default export)' : typeof exported}`);
  if (typeof exported.label !== 'string' || exported.label.trim() === '') throw problem('label must be a non-empty string');
  if (!TIMEFRAMES.includes(exported.timeframe as Timeframe)) throw problem(`timeframe must be one of ${TIMEFRAMES.join(', ')}`);
  if (typeof exported.warmup !== 'number' && typeof exported.warmup !== 'function') throw problem('warmup must be a number or a function of the parameters');
  if (typeof exported.forSymbol !== 'function') throw problem('forSymbol(symbol, params) must be a function');
  if (exported.params !== undefined) paramSpecs(exported.params);
  return exported as unknown as StrategyDefinition;
}

/** The declared parameters, checked: each a finite default within finite bounds (whole numbers if `integer`). */
export function paramSpecs(declared: unknown): StrategyParamSpec[] {
  if (declared === undefined) return [];
  if (!isRecord(declared)) throw new Error('its default export is not a strategy: params must be an object of { default, min, max }');
  return Object.entries(declared).map(([name, spec]) => {
    const bad = (what: string) => new Error(`its default export is not a strategy: parameter ${name} ${what}`);
    if (!PARAM_NAME.test(name)) throw bad('needs a name of letters, digits and _');
    if (!isRecord(spec)) throw bad('must be { default, min, max }');
    const { default: value, min, max, integer } = spec;
    if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max) || min > max) throw bad('needs finite bounds with min ≤ max');
    if (integer !== undefined && typeof integer !== 'boolean') throw bad('integer must be true or false');
    const parsed: StrategyParamSpec = { name, default: Number.NaN, min, max, integer: integer === true };
    const outside = paramProblem(parsed, value);
    if (outside) throw bad(`default ${outside}`);
    return { ...parsed, default: value as number };
  });
}

/** Why `value` is not allowed for `spec`, or null when it is. */
export function paramProblem(spec: StrategyParamSpec, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
  if (value < spec.min || value > spec.max) return `must be between ${spec.min} and ${spec.max}, got ${value}`;
  if (spec.integer && !Number.isInteger(value)) return `must be a whole number, got ${value}`;
  return null;
}

/** Every declared parameter's value: the one given, else its default. A value unknown or outside its bounds is an error per field. */
export function resolveParams(specs: readonly StrategyParamSpec[], values: Readonly<Record<string, number>>): { params: StrategyParams } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const params: Record<string, number> = {};
  for (const name of Object.keys(values)) if (!specs.some((s) => s.name === name)) errors[name] = 'is not a parameter of this strategy';
  for (const spec of specs) {
    const value = values[spec.name] ?? spec.default;
    const problem = paramProblem(spec, value);
    if (problem) errors[spec.name] = problem;
    else params[spec.name] = value;
  }
  return Object.keys(errors).length ? { errors } : { params: Object.freeze(params) };
}

/** The definition as a runnable strategy under `id`, with its parameters bound. */
export function strategyFromDefinition(id: string, definition: StrategyDefinition, values: Readonly<Record<string, number>>): Strategy {
  const resolved = resolveParams(paramSpecs(definition.params), values);
  if ('errors' in resolved) throw new Error(Object.entries(resolved.errors).map(([name, why]) => `parameter ${name} ${why}`).join('; '));
  const { params } = resolved;
  const warmup = typeof definition.warmup === 'function' ? definition.warmup(params) : definition.warmup;
  if (!Number.isInteger(warmup) || warmup < 0 || warmup > MAX_WARMUP) throw new Error(`warmup must be a whole number from 0 to ${MAX_WARMUP}, got ${String(warmup)}`);
  return {
    id,
    label: definition.label,
    timeframe: definition.timeframe,
    warmup,
    forSymbol: (symbol) => {
      const state: unknown = definition.forSymbol(symbol, params);
      if (!isRecord(state) || typeof state.onCandle !== 'function') throw new Error('forSymbol must return { onCandle(candle, context) }');
      return state as unknown as SymbolStrategy;
    },
  };
}
