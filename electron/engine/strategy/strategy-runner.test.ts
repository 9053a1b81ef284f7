import { afterEach, describe, expect, it } from 'vitest';
import type { Candle, StrategyStatus, Timeframe } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type StrategySettings } from '../../../shared/settings';
import { upTrendWithDip } from '../testing/pullback-bars';
import { echo, echoAfterWarmupOf3, inWorker, malformedStop, mutatesItsCandle, stuckOnBtc, throwsOnFirstBar } from '../testing/scripted-strategies';
import { inThreadEvaluators } from './in-thread-evaluator';
import type { Signal, Strategy } from './strategy';
import { StrategyRunner, validateDecision, type StrategyRunnerOptions } from './strategy-runner';
import { trendPullback } from './trend-pullback';
import { workerEvaluators } from './worker-evaluator';

const base = DEFAULT_SETTINGS.strategies[0]!;
const BTC = 'BTC/USDT:USDT';
const bar = (i: number, close = 100): Candle => ({ time: i * 60_000, open: close, high: close, low: close, close, volume: 1 });

let running: StrategyRunner[] = [];
afterEach(() => {
  for (const r of running) r.stop();
  running = [];
});

function runner(options: Pick<StrategyRunnerOptions, 'build' | 'evaluators'>, settings: StrategySettings[] = [{ ...base }]) {
  const signals: Array<{ id: string; signal: Signal; timeframe: Timeframe }> = [];
  let statuses: StrategyStatus[] = [];
  const r = new StrategyRunner({
    context: () => ({ equity: 10_000, drawdownPct: 0, maxLeverage: 5 }),
    onSignal: (id, signal, timeframe) => signals.push({ id, signal, timeframe }),
    onStatus: (s) => (statuses = s),
    ...options,
  });
  running.push(r);
  r.configure(settings);
  return { r, signals, statuses: () => statuses };
}

const hosts: Array<{ where: string; run: (build: (s: StrategySettings) => Strategy) => Pick<StrategyRunnerOptions, 'build' | 'evaluators'> }> = [
  { where: 'on the engine’s thread', run: (build) => ({ build }) },
  { where: 'in worker threads', run: (build) => ({ evaluators: workerEvaluators(inWorker(build)) }) },
];

describe.each(hosts)('the strategy runner, strategies $where', ({ run }) => {
  it('passes each closed candle to the strategy and its signals on', async () => {
    const { r, signals } = runner(run(echo));
    r.onClosedCandle(BTC, '1m', bar(1));
    r.onClosedCandle(BTC, '1m', bar(2));
    await r.idle();
    expect(signals.map((s) => [s.id, s.signal.reason, s.timeframe])).toEqual([
      ['trend-pullback', 'bar 60000 (1 seen)', '1m'],
      ['trend-pullback', 'bar 120000 (2 seen)', '1m'],
    ]);
  });

  it('ignores signals during warm-up and from history, but feeds both to the indicators', async () => {
    const { r, signals } = runner(run(echoAfterWarmupOf3));
    r.warm(BTC, '1m', [bar(1), bar(2)]);
    r.onClosedCandle(BTC, '1m', bar(3));
    r.onClosedCandle(BTC, '1m', bar(4));
    await r.idle();
    expect(signals.map((s) => s.signal.reason)).toEqual(['bar 240000 (4 seen)']);
  });

  it('feeds a bar only once, when history it already has is offered again', async () => {
    const { r, signals } = runner(run(echo));
    r.warm(BTC, '1m', [bar(1), bar(2)]);
    r.warm(BTC, '1m', [bar(1), bar(2), bar(3)]);
    r.onClosedCandle(BTC, '1m', bar(3));
    r.onClosedCandle(BTC, '1m', bar(4));
    await r.idle();
    expect(signals.map((s) => s.signal.reason)).toEqual(['bar 240000 (4 seen)']);
  });

  it('hands the strategy copies, so it cannot change the engine’s candles', async () => {
    const { r, statuses } = runner(run(mutatesItsCandle));
    const candle = bar(1);
    r.onClosedCandle(BTC, '1m', candle);
    await r.idle();
    expect(candle.close).toBe(100);
    expect(statuses()[0]!.lastError).toBeNull();
  });

  it('turns a throwing strategy into a strategy error, and keeps running', async () => {
    const { r, signals, statuses } = runner(run(throwsOnFirstBar));
    r.onClosedCandle(BTC, '1m', bar(1));
    await r.idle();
    expect(statuses()[0]).toMatchObject({ id: 'trend-pullback', lastError: 'BTC/USDT:USDT: division by zero', running: true });
    r.onClosedCandle(BTC, '1m', bar(2));
    await r.idle();
    expect(signals).toHaveLength(1);
    expect(statuses()[0]!.lastError).toBeNull();
  });

  it('reports a malformed signal as a strategy error instead of passing it on', async () => {
    const { r, signals, statuses } = runner(run(malformedStop));
    r.onClosedCandle(BTC, '1m', bar(1));
    await r.idle();
    expect(signals).toEqual([]);
    expect(statuses()[0]!.lastError).toMatch(/stop must be a price above zero/);
  });

  it('never lets a stuck strategy hold up other symbols or other strategies', async () => {
    const { r, signals } = runner(run(stuckOnBtc), [{ ...base }, { ...base, id: 'adaptive-leverage', enabled: true }]);
    r.onClosedCandle(BTC, '1m', bar(1));
    r.onClosedCandle('ETH/USDT:USDT', '1m', bar(1));
    r.onClosedCandle(BTC, '1m', bar(2));
    await until(() => signals.length >= 4);
    expect(signals.map((s) => `${s.id} ${s.signal.symbol} ${s.signal.reason}`).sort()).toEqual([
      'adaptive-leverage BTC/USDT:USDT bar 120000 (2 seen)',
      'adaptive-leverage BTC/USDT:USDT bar 60000 (1 seen)',
      'adaptive-leverage ETH/USDT:USDT bar 60000 (1 seen)',
      'trend-pullback ETH/USDT:USDT bar 60000 (1 seen)',
    ]);
  });

  it('stops signals when halted and when disabled, and reports it', async () => {
    const { r, signals, statuses } = runner(run(echo));
    r.halt('flatten');
    r.onClosedCandle(BTC, '1m', bar(1));
    await r.idle();
    expect(signals).toEqual([]);
    expect(statuses()[0]).toMatchObject({ running: false, haltedReason: 'flatten', lastError: null });
    r.resume();
    r.configure([{ ...base, enabled: false }]);
    r.onClosedCandle(BTC, '1m', bar(2));
    await r.idle();
    expect(signals).toEqual([]);
    expect(statuses()[0]).toMatchObject({ enabled: false, running: false });
  });

  it('runs only the strategies of the candle’s timeframe', async () => {
    const { r, signals } = runner(run(echo), [{ ...base, timeframe: '5m' }]);
    r.onClosedCandle(BTC, '1m', bar(1));
    r.onClosedCandle(BTC, '5m', bar(5));
    await r.idle();
    expect(signals.map((s) => s.timeframe)).toEqual(['5m']);
    expect(r.timeframes()).toEqual(['5m']);
  });
});

describe('the strategy runner’s evaluators', () => {
  it('are closed when their strategy is reconfigured, dropped or the runner stops, and nothing runs after the stop', async () => {
    const closed: string[] = [];
    const evaluators: StrategyRunnerOptions['evaluators'] = (settings, timeoutMs) => ({ ...inThreadEvaluators(echo)(settings, timeoutMs), close: () => closed.push(`${settings.id} ${settings.timeframe}`) });
    const adaptive = { ...base, id: 'adaptive-leverage' as const };
    const { r, signals } = runner({ evaluators }, [{ ...base }, adaptive]);
    r.configure([{ ...base, timeframe: '5m' }, adaptive]);
    expect(closed).toEqual(['trend-pullback 1m']);
    r.configure([{ ...base, timeframe: '5m' }]);
    expect(closed).toEqual(['trend-pullback 1m', 'adaptive-leverage 1m']);
    r.stop();
    expect(closed).toEqual(['trend-pullback 1m', 'adaptive-leverage 1m', 'trend-pullback 5m']);
    r.onClosedCandle(BTC, '5m', bar(5));
    await r.idle();
    expect(signals).toEqual([]);
  });
});

describe('the strategy runner by default', () => {
  it('runs the built-in strategies in workers, with the signals they give on this thread', async () => {
    const bars = upTrendWithDip();
    const onThisThread = trendPullback(base).forSymbol(BTC);
    const expected = bars.map((c) => onThisThread.onCandle(c, { equity: 10_000, drawdownPct: 0, maxLeverage: 5 })).at(-1);
    const { r, signals, statuses } = runner({});
    expect(statuses()[0]).toMatchObject({ label: 'Trend pullback', lastError: null });
    expect(r.warmupNeeds()).toEqual(new Map([['1m', 30]]));
    r.warm(BTC, '1m', bars.slice(0, 60));
    for (const c of bars.slice(60)) r.onClosedCandle(BTC, '1m', c);
    await r.idle();
    expect(expected).not.toBeNull();
    expect(signals.map((s) => s.signal)).toEqual([expected]);
  });
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('halts held for several reasons', () => {
  it('a loss limit’s release ends only its own halt: a flatten’s halt holds until the user resumes', async () => {
    const { r, statuses } = runner({ evaluators: inThreadEvaluators(echo) });
    r.halt('Daily loss limit tripped');
    r.halt('Flatten: panic');
    r.release('Daily loss limit tripped');
    expect(statuses()[0]).toMatchObject({ running: false, haltedReason: 'Flatten: panic' });
    r.release('Daily loss limit tripped');
    r.resume();
    expect(statuses()[0]).toMatchObject({ running: true, haltedReason: null });
    r.halt('Daily loss limit tripped');
    r.release('Daily loss limit tripped');
    expect(statuses()[0]).toMatchObject({ running: true, haltedReason: null });
  });
});

describe('a strategy decision', () => {
  it('passes an exit signal on with its reason, and refuses an unknown kind with a clear error', () => {
    expect(validateDecision({ kind: 'exit', symbol: BTC, reason: 'done' }, BTC)).toEqual({ kind: 'exit', symbol: BTC, reason: 'done' });
    expect(() => validateDecision({ kind: 'exit', symbol: 'ETH/USDT:USDT', reason: 'x' }, BTC)).toThrow(/came from the BTC/);
    expect(() => validateDecision({ kind: 'flip' as 'entry', symbol: BTC, side: 'long', entry: 1, stop: 0.9, takeProfit: 1.2, reason: 'x' }, BTC)).toThrow(/kind must be entry or exit, got flip/);
  });
});
