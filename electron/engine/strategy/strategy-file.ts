import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import type { Strategy } from './strategy';
import { readDefinition, strategyFromDefinition } from './strategy-definition';

/** Parameters a strategy file's builder is given (`--set key=value` in a backtest). */
export type StrategyParams = Record<string, number | string | boolean>;

/** A strategy file that cannot be used: the message names the file and what is wrong, never a stack trace. */
export class StrategyFileError extends Error {
  constructor(file: string, problem: string) {
    super(`Strategy file ${file}: ${problem}`);
    this.name = 'StrategyFileError';
  }
}

/** Checks that `value` implements the strategy interface; returns it. */
export function checkStrategy(value: unknown, file: string): Strategy {
  const s = value as Partial<Strategy> | null;
  if (!s || typeof s !== 'object') throw new StrategyFileError(file, 'the default export must be a strategy object (or a function returning one)');
  const problems: string[] = [];
  if (typeof s.id !== 'string' || s.id === '') problems.push('id must be a non-empty string');
  if (typeof s.label !== 'string') problems.push('label must be a string');
  if (!TIMEFRAMES.includes(s.timeframe as Timeframe)) problems.push(`timeframe must be one of ${TIMEFRAMES.join(', ')}, got ${JSON.stringify(s.timeframe)}`);
  if (!(Number.isInteger(s.warmup) && s.warmup! >= 0)) problems.push(`warmup must be a whole number of candles, got ${JSON.stringify(s.warmup)}`);
  if (typeof s.forSymbol !== 'function') problems.push('forSymbol(symbol) must be a function returning { onCandle }');
  if (problems.length) throw new StrategyFileError(file, problems.join('; '));
  return s as Strategy;
}

/** The cockpit's strategy-file format (README, *Your own strategies*): declared parameters with bounds, or no `id` of its own. */
function isDefinition(exported: unknown): boolean {
  if (!exported || typeof exported !== 'object') return false;
  return 'params' in exported || !('id' in exported);
}

/** A definition bound to `params` (numbers, within the bounds it declares), under the id the cockpit gives it: `file:` and the file's name. */
function fromDefinition(exported: unknown, absolute: string, file: string, params: StrategyParams): Strategy {
  const values: Record<string, number> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'number') throw new StrategyFileError(file, `parameter ${name} must be a number, got ${JSON.stringify(value)}`);
    values[name] = value;
  }
  try {
    return strategyFromDefinition(`file:${path.basename(absolute)}`, readDefinition(exported), values);
  } catch (error) {
    throw new StrategyFileError(file, errorMessage(error));
  }
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  if (!file.endsWith('.ts')) return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const { build } = await import('esbuild');
  let code: string;
  try {
    // Bare imports (trading-signals, …) resolve from the cockpit's own packages when the file's folder has none.
    const ownPackages = path.dirname(path.dirname(createRequire(import.meta.url).resolve('esbuild/package.json')));
    const result = await build({ entryPoints: [file], bundle: true, platform: 'node', format: 'esm', target: 'node22', write: false, logLevel: 'silent', nodePaths: [ownPackages] });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    const errors = (error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }).errors;
    const detail = errors?.length ? errors.map((e) => (e.location ? `line ${e.location.line}:${e.location.column}: ${e.text}` : e.text)).join('; ') : errorMessage(error);
    throw new StrategyFileError(file, `does not compile: ${detail}`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cockpit-strategy-'));
  const out = path.join(dir, `${path.basename(file, '.ts')}.mjs`);
  try {
    writeFileSync(out, code);
    return (await import(pathToFileURL(out).href)) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Loads a strategy from a `.ts`, `.js` or `.mjs` file whose default export
 * implements the strategy interface: a `Strategy` object, or a function
 * `(params) => Strategy` that is given `params`. TypeScript is compiled with
 * esbuild (imports bundled in). Any problem is a `StrategyFileError` naming the file.
 *
 * @example export default { id: 'my-rsi', label: 'My RSI', timeframe: '5m', warmup: 14, forSymbol: (symbol) => ({ onCandle: (c) => null }) };
 */
export async function loadStrategyFile(file: string, params: StrategyParams = {}): Promise<Strategy> {
  const absolute = path.resolve(file);
  if (!/\.(ts|js|mjs)$/.test(absolute)) throw new StrategyFileError(file, 'must be a .ts, .js or .mjs file');
  let module: Record<string, unknown>;
  try {
    module = await importModule(absolute);
  } catch (error) {
    if (error instanceof StrategyFileError) throw error;
    throw new StrategyFileError(file, `cannot be loaded: ${errorMessage(error)}`);
  }
  const exported = module.default;
  if (exported === undefined) throw new StrategyFileError(file, 'has no default export');
  if (isDefinition(exported)) return fromDefinition(exported, absolute, file, params);
  if (typeof exported !== 'function') {
    if (Object.keys(params).length) throw new StrategyFileError(file, `exports a strategy object, which takes no parameters (given ${Object.keys(params).join(', ')}); export a function (params) => strategy instead`);
    return checkStrategy(exported, file);
  }
  let built: unknown;
  try {
    built = (exported as (params: StrategyParams) => unknown)(params);
  } catch (error) {
    throw new StrategyFileError(file, `its default export threw: ${errorMessage(error)}`);
  }
  return checkStrategy(built, file);
}
