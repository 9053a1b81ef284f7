import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Candle, StrategyFileView } from '../../../shared/domain';
import { StrategyFiles } from './strategy-files';
import { StrategyLineup } from './strategy-lineup';

const BTC = 'BTC/USDT:USDT';
const bar = (i: number, close: number): Candle => ({ time: i * 60_000, open: close, high: close, low: close, close, volume: 1 });

/** Goes long when a close is `jump` percent above the previous one. */
const JUMP = `
interface Candle { close: number }
let seen: number = 0;
export default {
  label: 'Jump',
  timeframe: '1m',
  params: { jump: { default: 1, min: 0.1, max: 10 }, lookback: { default: 2, min: 1, max: 50, integer: true } },
  warmup: (p: Record<string, number>) => p.lookback,
  forSymbol(symbol: string, p: Record<string, number>) {
    let previous: number | null = null;
    return {
      onCandle(candle: Candle) {
        seen += 1;
        const up = previous !== null && candle.close >= previous * (1 + p.jump / 100);
        previous = candle.close;
        return up ? { symbol, side: 'long', entry: candle.close, stop: candle.close * 0.98, takeProfit: candle.close * 1.04, reason: 'jump ' + seen } : null;
      },
    };
  },
};
`;

let dirs: string[] = [];
let services: StrategyFiles[] = [];
afterEach(() => {
  for (const s of services) s.stop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  services = [];
  dirs = [];
});

function folder(files: Record<string, string>) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'strategy-files-'));
  dirs.push(root);
  const dir = path.join(root, 'strategies');
  fs.mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  let views: StrategyFileView[] = [];
  const service = new StrategyFiles({ dir, buildDir: path.join(root, 'build'), now: () => 1, pollMs: 60_000, onChange: (v) => (views = v) });
  services.push(service);
  return { dir, service, views: () => views };
}

describe('strategy files in the strategies folder', () => {
  it('transpiles a TypeScript file and lists what it declares', async () => {
    const { service, views } = folder({ 'jump.ts': JUMP });
    await service.start();
    expect(views()).toEqual([
      {
        id: 'file:jump.ts',
        file: 'jump.ts',
        label: 'Jump',
        timeframe: '1m',
        params: [
          { name: 'jump', default: 1, min: 0.1, max: 10, integer: false },
          { name: 'lookback', default: 2, min: 1, max: 50, integer: true },
        ],
        error: null,
        loadedAt: 1,
      },
    ]);
  });

  it('lists a file that does not compile, one that throws as it loads and one whose export is not a strategy, each with its error', async () => {
    const { service, views } = folder({
      'broken.ts': 'export default {{ nope',
      'throws.mjs': 'throw new Error("no config");',
      'plain.js': 'export default { label: "Plain", timeframe: "1m", warmup: 1 };',
      'bounds.mjs': 'export default { label: "B", timeframe: "1m", warmup: 1, forSymbol() {}, params: { x: { default: 9, min: 0, max: 5 } } };',
      'notes.txt': 'ignored',
    });
    await service.start();
    const errors = Object.fromEntries(views().map((v) => [v.file, v.error]));
    expect(Object.keys(errors)).toEqual(['bounds.mjs', 'broken.ts', 'plain.js', 'throws.mjs']);
    expect(errors['broken.ts']).toMatch(/^broken\.ts did not load: it does not compile: .*\(line 1, column \d+\)/);
    expect(errors['throws.mjs']).toContain('no config');
    expect(errors['plain.js']).toContain('its default export is not a strategy: forSymbol(symbol, params) must be a function');
    expect(errors['bounds.mjs']).toContain('parameter x default must be between 0 and 5, got 9');
  });

  it('reads a changed file again; a broken new version leaves the loaded one in place, and a removed file goes', async () => {
    const { dir, service, views } = folder({ 'jump.ts': JUMP });
    await service.start();
    const first = service.get('file:jump.ts')!.module;
    fs.writeFileSync(path.join(dir, 'jump.ts'), JUMP.replace("label: 'Jump'", "label: 'Jump v2'"));
    await service.scan();
    expect(views()[0]).toMatchObject({ label: 'Jump v2', error: null });
    const second = service.get('file:jump.ts')!.module;
    expect(second).not.toBe(first);
    fs.writeFileSync(path.join(dir, 'jump.ts'), 'export default 42;');
    await service.scan();
    expect(views()[0]!.error).toMatch(/not a strategy.*; the version loaded before keeps running$/);
    expect(service.get('file:jump.ts')!.module).toBe(second);
    fs.rmSync(path.join(dir, 'jump.ts'));
    await service.scan();
    expect(views()).toEqual([]);
    expect(service.get('file:jump.ts')).toBeNull();
  });
});

describe('the lineup of strategy files', () => {
  const config = { id: 'file:jump.ts', enabled: true, auto: false, symbols: [], params: {}, maxConcurrentPositions: 3 };

  it('runs an enabled file in its own worker with the user’s parameters; its warm-up follows them', async () => {
    const { service } = folder({ 'jump.ts': JUMP });
    await service.start();
    const lineup = new StrategyLineup(service);
    expect(await lineup.refresh([{ ...config, params: { jump: 5, lookback: 7 } }])).toBe(true);
    const [run] = lineup.current();
    const evaluator = run!.evaluator(10_000);
    try {
      expect(evaluator.profile).toEqual({ id: 'file:jump.ts', label: 'Jump', timeframe: '1m', warmup: 7 });
      const context = { equity: 1_000, drawdownPct: 0, maxLeverage: 5 };
      expect(await evaluator.evaluate(BTC, bar(1, 100), context)).toBeNull();
      expect(await evaluator.evaluate(BTC, bar(2, 104), context)).toBeNull();
      expect(await evaluator.evaluate(BTC, bar(3, 110), context)).toMatchObject({ symbol: BTC, side: 'long', entry: 110, reason: 'jump 3' });
    } finally {
      evaluator.close();
    }
  });

  it('leaves out a disabled file, and one whose parameters are out of bounds with why', async () => {
    const { service } = folder({ 'jump.ts': JUMP });
    await service.start();
    const lineup = new StrategyLineup(service);
    await lineup.refresh([{ ...config, enabled: false }]);
    expect(lineup.current()).toEqual([]);
    await lineup.refresh([{ ...config, params: { jump: 50, lookback: 2.5, other: 1 } }]);
    expect(lineup.current()).toEqual([]);
    expect(lineup.views()[0]!.error).toBe(
      'not running: parameter other is not a parameter of this strategy; parameter jump must be between 0.1 and 10, got 50; parameter lookback must be a whole number, got 2.5',
    );
  });
});

describe('the example strategy in the README', () => {
  const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  const example = /A complete example, `breakout\.ts`:\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];

  it('loads as documented and enters on a breakout, then exits when the close falls back below the range', async () => {
    expect(example, 'the README shows breakout.ts').toBeDefined();
    const { service, views } = folder({ 'breakout.ts': example! });
    await service.start();
    expect(views()[0]).toMatchObject({ label: 'Donchian breakout', timeframe: '5m', error: null });
    expect(views()[0]!.params.map((p) => p.name)).toEqual(['lookback', 'stopPct', 'rewardRisk']);
    const lineup = new StrategyLineup(service);
    await lineup.refresh([{ id: 'file:breakout.ts', enabled: true, auto: false, symbols: [], params: { lookback: 5 }, maxConcurrentPositions: 3 }]);
    const evaluator = lineup.current()[0]!.evaluator(10_000);
    try {
      expect(evaluator.profile.warmup).toBe(5);
      const context = { equity: 1_000, drawdownPct: 0, maxLeverage: 5 };
      const decisions = [];
      for (const [i, close] of [100, 101, 100, 101, 100, 101, 105, 104, 90].entries()) decisions.push(await evaluator.evaluate(BTC, { ...bar(i, close), high: close + 0.5, low: close - 0.5 }, context));
      expect(decisions.slice(0, 6).every((d) => d === null)).toBe(true);
      expect(decisions[6]).toMatchObject({ symbol: BTC, side: 'long', entry: 105, reason: 'close 105 broke the 5-bar high 101.5' });
      expect(decisions[7]).toBeNull();
      expect(decisions[8]).toEqual({ kind: 'exit', symbol: BTC, reason: 'close 90 fell below the 5-bar low 99.5' });
    } finally {
      evaluator.close();
    }
  });
});
