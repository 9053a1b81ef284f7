import { afterEach, describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { flush, paperEngine } from '../testing/paper-engine';
import { echo, EXIT_CLOSE, inWorker, killsItsWorker, SPIN_CLOSE, spinningTrendEagerAdaptive, spinsOnItsBar } from '../testing/scripted-strategies';
import type { StrategyEvaluator } from './strategy-evaluator';
import { strategyWorkerEntry, workerEvaluators } from './worker-evaluator';

const settings = DEFAULT_SETTINGS.strategies[0]!;
const context = { equity: 10_000, drawdownPct: 0, maxLeverage: 5 };
const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const bar = (i: number, close = 100): Candle => ({ time: i * 60_000, open: close, high: close, low: close, close, volume: 1 });

let open: StrategyEvaluator[] = [];
let h: Awaited<ReturnType<typeof paperEngine>> | null = null;
afterEach(async () => {
  for (const e of open) e.close();
  open = [];
});

function evaluator(build: Parameters<typeof inWorker>[0], timeoutMs = 30_000): StrategyEvaluator {
  const e = workerEvaluators(inWorker(build))(settings, timeoutMs);
  open.push(e);
  return e;
}

describe('the strategy worker’s entry file', () => {
  it('is the TypeScript source, run through tsx, when the engine runs from its sources', () => {
    const entry = strategyWorkerEntry(new URL('./worker-evaluator.ts', import.meta.url).href);
    expect(entry.file).toBe(new URL('./strategy-worker.ts', import.meta.url).pathname);
    expect(entry.execArgv).toEqual(['--import', expect.stringMatching(/^file:.*\/tsx\/dist\/loader\.mjs$/)]);
  });

  it('is the built strategy-worker.js beside the main bundle, with no loader', () => {
    expect(strategyWorkerEntry('file:///opt/cockpit/out/main/index.js')).toEqual({ file: '/opt/cockpit/out/main/strategy-worker.js', execArgv: [] });
  });
});

describe('a strategy in a worker thread', () => {
  it('knows its label, timeframe and warm-up before it runs, and answers with its signals', async () => {
    const e = evaluator(echo);
    expect(e.profile).toEqual({ id: 'trend-pullback', label: 'scripted trend-pullback', timeframe: '1m', warmup: 0 });
    await expect(e.evaluate(BTC, bar(1), context)).resolves.toMatchObject({ symbol: BTC, reason: 'bar 60000 (1 seen)' });
  });

  it('gets its whole timeout once its worker has started: the start-up does not count', async () => {
    const e = evaluator(echo, 150);
    await expect(e.evaluate(BTC, bar(1), context)).resolves.toMatchObject({ reason: 'bar 60000 (1 seen)' });
  });

  it('stuck in a busy loop, is stopped after the timeout while this thread goes on, and restarts re-warmed without the bar that hung', async () => {
    const e = evaluator(spinsOnItsBar, 1_500);
    for (const i of [1, 2, 3]) await e.evaluate(BTC, bar(i), context);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 50);
    const started = Date.now();
    const hung = e.evaluate(BTC, bar(4, SPIN_CLOSE), context);
    const queuedBehind = e.evaluate(ETH, bar(4), context);
    await expect(hung).rejects.toThrow('evaluation took longer than 1500 ms and was stopped; the strategy restarted without that candle');
    clearInterval(ticker);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(ticks).toBeGreaterThan(10);
    await expect(queuedBehind).resolves.toMatchObject({ symbol: ETH, reason: 'bar 240000 (1 seen)' });
    await expect(e.evaluate(BTC, bar(5), context)).resolves.toMatchObject({ reason: 'bar 300000 (4 seen)' });
  });

  it('whose worker dies, fails what it was evaluating and carries on in a fresh worker re-warmed with the bars before', async () => {
    const e = evaluator(killsItsWorker);
    for (const i of [1, 2]) await e.evaluate(BTC, bar(i), context);
    await expect(e.evaluate(BTC, bar(3, EXIT_CLOSE), context)).rejects.toThrow("the strategy's worker stopped: its worker exited with code 3");
    await expect(e.evaluate(BTC, bar(4), context)).resolves.toMatchObject({ reason: 'bar 240000 (3 seen)' });
  });

  it('says so when its builder cannot be found', async () => {
    const e = workerEvaluators({ ...inWorker(echo), exportName: 'noSuchStrategy' })(settings, 30_000);
    open.push(e);
    await expect(e.evaluate(BTC, bar(1), context)).rejects.toThrow(/has no strategy builder named noSuchStrategy/);
  });

  it('once closed, fails what is pending and refuses new candles', async () => {
    const e = evaluator(spinsOnItsBar);
    const pending = e.evaluate(BTC, bar(1, SPIN_CLOSE), context);
    e.close();
    await expect(pending).rejects.toThrow('the strategy was stopped');
    await expect(e.evaluate(BTC, bar(2), context)).rejects.toThrow('the strategy was stopped');
  });
});

describe('the engine, while a strategy spins in a busy loop', () => {
  it('goes on with market data, an approval and the flatten; the strategy is reported after the timeout and the other one keeps signalling', async () => {
    h = await paperEngine({
      settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, enabled: true })) }),
      trading: { strategyEvaluators: workerEvaluators(inWorker(spinningTrendEagerAdaptive)), strategyTimeoutMs: 3_000 },
    });
    const engine = h.engine;
    const status = (id: string) => engine.trading.strategies().find((s) => s.id === id)!;
    const fromAdaptive = () => engine.trading.proposals.list().filter((p) => p.source === 'adaptive-leverage' && p.status === 'pending');
    await engine.start();

    h.setPrice(BTC, SPIN_CLOSE, 60_000);
    await until(() => fromAdaptive().length === 1);
    h.setPrice(BTC, 61_300);
    await until(() => engine.trading.market.allTickers().find((t) => t.symbol === BTC)?.last === 61_300);
    const ticket = await engine.handlers['proposal.create']({ symbol: 'SOL/USDT:USDT', side: 'long', stop: 145, takeProfit: 160, leverage: 5 });
    expect((await engine.handlers['proposal.approve']({ id: ticket.id })).position).toMatchObject({ symbol: 'SOL/USDT:USDT', stopPrice: 145 });
    expect(await engine.handlers.flatten({ reason: 'panic while a strategy spins' })).toMatchObject({ flat: true });
    expect(h.paper.sim.positions().every((p) => p.positionAmt === 0)).toBe(true);
    expect(status('trend-pullback').lastError).toBeNull();

    await until(() => status('trend-pullback').lastError !== null);
    expect(status('trend-pullback').lastError).toBe('BTC/USDT:USDT: evaluation took longer than 3000 ms and was stopped; the strategy restarted without that candle');
    await engine.handlers['strategies.resume']({});
    h.advance(60_000);
    await until(() => fromAdaptive().length === 1);
    expect(status('trend-pullback')).toMatchObject({ running: true });
  });
});

/** Waits, in real time, for work in the strategy workers and the engine to get somewhere. */
async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await flush();
  expect(condition()).toBe(true);
}
