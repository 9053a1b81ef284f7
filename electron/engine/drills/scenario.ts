import fs from 'node:fs';
import { errorMessage } from '../../../shared/error-message';

/** One point of a price path: `change` percent from the price when the drill started, `at` seconds after it started. */
export interface PathPoint {
  at: number;
  change: number;
}

/** From `at` seconds on, funding settles at `rate` percent (until the next step or the drill's end). */
export interface FundingStep {
  at: number;
  rate: number;
}

/** What a scenario does to one symbol. */
export interface SymbolScenario {
  /** Piecewise linear, starting at `{ at: 0, change: 0 }`; after its last point the last change holds. */
  path: PathPoint[];
  funding: FundingStep[];
}

/**
 * A crash drill: price paths (and funding rates) for one or more symbols, relative to the moment the
 * drill starts. The mark price follows the last price as the exchange's mark model does, and the
 * simulated exchange liquidates by its own rule when the mark crosses a position's liquidation price.
 */
export interface Scenario {
  name: string;
  description: string;
  /** Seconds from the start until the drill is over: the later of `durationS` and the last point of any path or funding step. */
  durationS: number;
  symbols: Record<string, SymbolScenario>;
}

/** A scenario file's problem, naming the file and the field (e.g. `symbols.BTC/USDT:USDT.path[2].at`). */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly field: string,
    problem: string,
  ) {
    super(`${source}: ${field ? `${field} ` : ''}${problem}`);
    this.name = 'ScenarioError';
  }
}

const SYMBOL = /^[A-Z0-9]+\/[A-Z0-9]+(:[A-Z0-9]+)?$/;
/** A path may not fall to −100% (a price of zero) or rise more than 10×. */
const MIN_CHANGE = -99;
const MAX_CHANGE = 900;
/** Funding above ±5% per settlement is no market's rule; refuse it as a typo. */
const MAX_FUNDING_PCT = 5;
/** A drill longer than a week is not a drill. */
const MAX_DURATION_S = 7 * 86_400;

type Fail = (field: string, problem: string) => never;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function finiteIn(value: unknown, field: string, min: number, max: number, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(field, `must be a number, got ${JSON.stringify(value)}`);
  if (value < min || value > max) return fail(field, `must be from ${min} to ${max}, got ${value}`);
  return value;
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[], field: string, fail: Fail): void {
  const extra = Object.keys(value).find((key) => !keys.includes(key));
  if (extra !== undefined) fail(field ? `${field}.${extra}` : extra, `is not a scenario field (expected ${keys.join(', ')})`);
}

function steps<T extends { at: number }>(raw: unknown, field: string, valueKey: 'change' | 'rate', read: (value: unknown, field: string) => number, fail: Fail): T[] {
  if (!Array.isArray(raw)) return fail(field, 'must be a list of points');
  const points = raw.map((point, i) => {
    const where = `${field}[${i}]`;
    if (!isObject(point)) return fail(where, `must be an object { "at": seconds, "${valueKey}": number }`);
    onlyKeys(point, ['at', valueKey], where, fail);
    const at = finiteIn(point.at, `${where}.at`, 0, MAX_DURATION_S, fail);
    if (!(valueKey in point)) return fail(`${where}.${valueKey}`, 'is missing');
    return { at, [valueKey]: read(point[valueKey], `${where}.${valueKey}`) } as unknown as T;
  });
  points.forEach((point, i) => {
    if (i > 0 && point.at <= points[i - 1]!.at) fail(`${field}[${i}].at`, `must be later than the point before it (${points[i - 1]!.at} s), got ${point.at} s`);
  });
  return points;
}

function symbolScenario(raw: unknown, field: string, fail: Fail): SymbolScenario {
  if (!isObject(raw)) return fail(field, 'must be an object with "path" and/or "funding"');
  onlyKeys(raw, ['path', 'funding'], field, fail);
  if (raw.path === undefined && raw.funding === undefined) return fail(field, 'needs a "path" or a "funding" list');
  const path = raw.path === undefined ? [] : steps<PathPoint>(raw.path, `${field}.path`, 'change', (v, f) => finiteIn(v, f, MIN_CHANGE, MAX_CHANGE, fail), fail);
  if (raw.path !== undefined && path.length === 0) fail(`${field}.path`, 'must have at least one point');
  const funding =
    raw.funding === undefined ? [] : steps<FundingStep>(raw.funding, `${field}.funding`, 'rate', (v, f) => finiteIn(v, f, -MAX_FUNDING_PCT, MAX_FUNDING_PCT, fail), fail);
  if (raw.funding !== undefined && funding.length === 0) fail(`${field}.funding`, 'must have at least one step');
  if (path.length && path[0]!.at === 0 && path[0]!.change !== 0) fail(`${field}.path[0].change`, 'must be 0 at 0 s: a path starts from the price when the drill starts');
  return { path: path.length && path[0]!.at > 0 ? [{ at: 0, change: 0 }, ...path] : path, funding };
}

/** Reads and checks a scenario (already parsed JSON). Throws a {@link ScenarioError} naming the field. */
export function parseScenario(raw: unknown, source: string): Scenario {
  const fail: Fail = (field, problem) => {
    throw new ScenarioError(source, field, problem);
  };
  if (!isObject(raw)) return fail('', 'must be a JSON object with "name" and "symbols"');
  onlyKeys(raw, ['name', 'description', 'durationS', 'symbols'], '', fail);
  if (typeof raw.name !== 'string' || raw.name.trim() === '' || raw.name.length > 80) return fail('name', 'must be a text of 1 to 80 characters');
  if (raw.description !== undefined && (typeof raw.description !== 'string' || raw.description.length > 500)) return fail('description', 'must be a text of at most 500 characters');
  if (!isObject(raw.symbols) || Object.keys(raw.symbols).length === 0) return fail('symbols', 'must name at least one symbol, e.g. { "BTC/USDT:USDT": { "path": [...] } }');
  const symbols: Record<string, SymbolScenario> = {};
  for (const [symbol, value] of Object.entries(raw.symbols)) {
    if (!SYMBOL.test(symbol)) fail(`symbols.${symbol}`, 'is not a unified symbol such as BTC/USDT:USDT');
    symbols[symbol] = symbolScenario(value, `symbols.${symbol}`, fail);
  }
  const lastPoint = Math.max(0, ...Object.values(symbols).flatMap((s) => [...s.path, ...s.funding].map((p) => p.at)));
  const durationS = raw.durationS === undefined ? lastPoint : finiteIn(raw.durationS, 'durationS', 1, MAX_DURATION_S, fail);
  if (durationS <= 0) fail('durationS', 'is needed when every point is at 0 s: say how long the drill lasts');
  return { name: raw.name.trim(), description: typeof raw.description === 'string' ? raw.description : '', durationS: Math.max(durationS, lastPoint), symbols };
}

/** Reads a scenario file (JSON). Throws a {@link ScenarioError} naming the file and, where it applies, the field. */
export function loadScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ScenarioError(file, '', `cannot be read: ${errorMessage(error)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(file, '', `is not valid JSON: ${errorMessage(error)}`);
  }
  return parseScenario(raw, file);
}

/** The path's change, in percent, `seconds` after the start: linear between points, the last one held after it. */
export function changeAt(path: readonly PathPoint[], seconds: number): number {
  if (path.length === 0 || seconds <= path[0]!.at) return path[0]?.change ?? 0;
  for (let i = 1; i < path.length; i++) {
    const to = path[i]!;
    if (seconds <= to.at) {
      const from = path[i - 1]!;
      return from.change + ((to.change - from.change) * (seconds - from.at)) / (to.at - from.at);
    }
  }
  return path.at(-1)!.change;
}

/** The funding rate (a fraction, 0.003 = 0.3%) in force `seconds` after the start, or undefined before the first step. */
export function fundingAt(funding: readonly FundingStep[], seconds: number): number | undefined {
  let rate: number | undefined;
  for (const step of funding) if (step.at <= seconds) rate = step.rate / 100;
  return rate;
}
