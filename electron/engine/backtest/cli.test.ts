import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { BTC, T0 } from './backtest-fixtures';
import { parseBacktestArgs } from './cli-args';
import { runCli } from './cli-main';
import { runBacktest } from './backtest';
import { trendPullback } from '../strategy/trend-pullback';
import { randomWalk } from './random-walk';
import { applyAssignments } from './run-setup';
import { runSweep, sweepGrid } from './sweep';
import { runInWorker } from './worker-job';

const run = promisify(execFile);
const dir = mkdtempSync(path.join(os.tmpdir(), 'backtest-cli-'));
const walk = randomWalk({ symbol: BTC, timeframe: '1m', bars: 6_000, start: T0, startPrice: 60_000, volatility: 0.001, seed: 21 });
const csvFile = path.join(dir, 'btc.csv');
writeFileSync(csvFile, ['time,open,high,low,close,volume', ...Array.from(walk.time, (t, i) => [t, walk.open[i], walk.high[i], walk.low[i], walk.close[i], walk.volume[i]].join(','))].join('\n'));

const LINE = /^backtest: candles=(\d+) trades=(\d+) wall_ms=\d+ candles_per_s=\d+ return_pct=-?[\d.]+ max_drawdown_pct=[\d.]+ fees=[\d.]+ funding=-?[\d.]+ liquidations=\d+$/;

/** Runs the command in this process; what it wrote and its exit code. */
async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

describe('npm run backtest', () => {
  it('prints the summary on stderr and the backtest line last on stdout', async () => {
    const { stdout, stderr } = await run('npm', ['run', '-s', 'backtest', '--', '--strategy', 'trend-pullback', '--data', `${BTC}=${csvFile}`], { cwd: path.resolve(import.meta.dirname, '../../..') });
    const last = stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(LINE);
    expect(LINE.exec(last)![1]).toBe('6000');
    expect(stderr).toMatch(/Max drawdown/);
  });

  it('writes the same --out files on every run, with --set applied and the accounts adding up', async () => {
    const outs = [path.join(dir, 'out-a'), path.join(dir, 'out-b')];
    for (const out of outs) {
      const { code, stdout } = await inProcess(['--strategy', 'trend-pullback', '--data', `${BTC}=${csvFile}`, '--set', 'leverage=3', '--set', 'risk.riskPerTrade=0.005', '--out', out]);
      expect(code).toBe(0);
      expect(stdout.trim().split('\n').at(-1)).toMatch(LINE);
    }
    const [a, b] = outs.map((out) => ({ summary: readFileSync(path.join(out, 'summary.json'), 'utf8'), trades: readFileSync(path.join(out, 'trades.json'), 'utf8') }));
    expect(b!.summary).toBe(a!.summary);
    expect(b!.trades).toBe(a!.trades);
    const summary = JSON.parse(a!.summary);
    const trades = JSON.parse(a!.trades) as { leverage: number; riskAmount: number; pnl: number; fees: number; funding: number; qty: number; entryPrice: number; stop: number }[];
    expect(summary).toMatchObject({ candles: 6000, trades: trades.length });
    expect(trades.length).toBeGreaterThan(0);
    expect(trades.every((t) => t.leverage === 3)).toBe(true);
    expect(trades[0]!.riskAmount, 'risk.riskPerTrade=0.005 sizes the first trade').toBeCloseTo(50, -1);
    expect(Math.abs(summary.finalEquity - (10_000 + trades.reduce((s, t) => s + t.pnl - t.fees + t.funding, 0)))).toBeLessThan(1e-6);
    for (const key of ['winRatePct', 'profitFactor', 'expectancyR', 'sharpe', 'sortino', 'exposurePct', 'longestLosingStreak', 'breakerTrips']) expect(summary).toHaveProperty(key);
    const equity = JSON.parse(readFileSync(path.join(outs[0]!, 'equity.json'), 'utf8')) as { time: number; equity: number; drawdown: number }[];
    expect(equity).toHaveLength(6000);
    expect(equity[0]).toMatchObject({ time: T0, equity: expect.any(Number), drawdown: expect.any(Number) });
  });

  it('runs a strategy file', async () => {
    const strategyFile = path.join(dir, 'every-bar.mjs');
    writeFileSync(
      strategyFile,
      `export default (params) => ({ id: 'every-bar', label: 'Every bar', timeframe: '1m', warmup: 0, forSymbol: (symbol) => ({
        onCandle: (c) => (c.time % (params.every * 60000) === 0 ? { symbol, side: 'long', entry: c.close, stop: c.close * 0.98, takeProfit: c.close * 1.04, leverage: 5, reason: 'clock' } : null) }) });`,
    );
    const { code, stdout } = await inProcess(['--strategy-file', strategyFile, '--data', `${BTC}=${csvFile}`, '--set', 'every=60']);
    expect(code).toBe(0);
    expect(Number(LINE.exec(stdout.trim().split('\n').at(-1)!)![2])).toBeGreaterThan(0);
  });

  it('says what is wrong with a command or its data in one line, without a stack trace', async () => {
    const bad = await inProcess(['--strategy', 'trend-pullback', '--data', `${BTC}=${path.join(dir, 'nope.csv')}`]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^backtest: Cannot read data file .*nope\.csv/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const usage = await inProcess(['--strategy']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--strategy needs a value\nUsage:/);
    expect(() => parseBacktestArgs(['--data', 'X=y'])).toThrow(/Name a strategy/);
    expect(() => parseBacktestArgs(['--strategy', 'trend-pullback'])).toThrow(/Give the candles/);
    expect(() => parseBacktestArgs(['--strategy', 'trend-pullback', '--data', 'nofile'])).toThrow(/--data needs SYMBOL=VALUE/);
    expect(() => parseBacktestArgs(['--strategy', 'trend-pullback', '--data', 'a=b', '--from', 'yesterday'])).toThrow(/--from needs an ISO date/);
    expect(() => applyAssignments(DEFAULT_SETTINGS, 'trend-pullback', null, null, [['risk.riskPerTrade', 0.5]])).toThrow(/Bad setting: risk\.riskPerTrade/);
    expect(() => applyAssignments(DEFAULT_SETTINGS, 'trend-pullback', null, null, [['risk.nope', 1]])).toThrow(/no such risk setting/);
    expect(() => applyAssignments(DEFAULT_SETTINGS, 'trend-pullback', null, null, [['wobble', 1]])).toThrow(/has no such parameter/);
    expect(() => applyAssignments(DEFAULT_SETTINGS, 'mystery', null, null, [])).toThrow(/Unknown strategy "mystery"/);
  });
});

describe('--sweep', () => {
  it('runs every combination in worker threads, one row each, sorted by the chosen figure, each as a single run gives it', async () => {
    const grid = sweepGrid([
      ['stopPct', [2, 3]],
      ['leverage', [2]],
    ]);
    expect(grid).toEqual([
      [
        ['stopPct', 2],
        ['leverage', 2],
      ],
      [
        ['stopPct', 3],
        ['leverage', 2],
      ],
    ]);
    const setups = grid.map((combo) => ({ params: Object.fromEntries(combo), setup: applyAssignments(DEFAULT_SETTINGS, 'trend-pullback', null, null, combo) }));
    const rows = await runSweep(setups, { data: [{ candles: walk }], balance: 10_000 }, 2, 'return_pct');
    expect(rows.map((r) => r.params.stopPct).sort()).toEqual([2, 3]);
    expect(rows[0]!.figures.return_pct).toBeGreaterThanOrEqual(rows[1]!.figures.return_pct!);
    const setup = setups[0]!.setup;
    if (setup.strategy.kind !== 'builtin') throw new Error('expected a built-in strategy');
    const single = runBacktest({ strategy: trendPullback(setup.strategy.settings), settings: setup.settings, data: [{ candles: walk }], balance: 10_000, maxConcurrentPositions: setup.strategy.settings.maxConcurrentPositions });
    expect(JSON.stringify(rows.find((r) => r.params.stopPct === 2)!.summary)).toBe(JSON.stringify(single.summary));
  });
});

describe('a backtest in a worker thread', () => {
  it('reports progress and stops when cancelled, answering with what it did', async () => {
    const long = randomWalk({ symbol: BTC, timeframe: '1m', bars: 1_000_000, start: T0, startPrice: 60_000, volatility: 0.001, seed: 8 });
    const setup = applyAssignments(DEFAULT_SETTINGS, 'trend-pullback', null, null, []);
    const seen: number[] = [];
    const running = runInWorker({ setup, options: { data: [{ candles: long }], balance: 10_000, progressEvery: 10_000 } }, (done) => {
      seen.push(done);
      if (seen.length === 1) running.cancel();
    });
    const result = await running.result;
    expect(result.cancelled).toBe(true);
    expect(seen[0]).toBe(10_000);
    expect(result.summary.candles).toBeLessThan(1_000_000);
  });
});
