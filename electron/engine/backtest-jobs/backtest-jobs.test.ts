import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BacktestJob } from '../../../shared/domain';
import { flush, paperEngine, START } from '../testing/paper-engine';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

/** Spends about `ms` of CPU on every candle: a backtest that keeps its worker busy for seconds. */
const slow = (ms: number) => `
export default {
  label: 'Slow',
  timeframe: '1m',
  warmup: 0,
  forSymbol() {
    return { onCandle() { const end = Date.now() + ${ms}; while (Date.now() < end) {} return null; } };
  },
};
`;

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  await flush();
  expect(condition()).toBe(true);
}

async function engine(files: Record<string, string> = {}) {
  const prices = { [BTC]: 60_000, [ETH]: 3_000 };
  const h = await paperEngine({ prices, trading: { strategyFilesPollMs: 100 } });
  for (let i = 0; i < 240; i++) {
    prices[BTC] = 60_000 * (1 + 0.01 * Math.sin(i / 7) + 0.004 * Math.sin(i / 2));
    prices[ETH] = 3_000 * (1 + 0.01 * Math.cos(i / 5));
    h.advance(30_000);
  }
  fs.mkdirSync(path.join(h.dataDir, 'strategies'), { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(h.dataDir, 'strategies', name), text);
  await h.engine.start();
  const jobs = () => h.events.filter((e) => e.event === 'backtest').map((e) => e.payload as BacktestJob);
  return { ...h, jobs, latest: () => jobs().at(-1)! };
}

describe('a backtest from the Backtest view', () => {
  it('fetches the history on offer, runs in a worker with rising progress, and reports trades, figures and the equity curve', async () => {
    const h = await engine();
    const started = await h.engine.handlers['backtest.run']({ strategy: 'trend-pullback', symbols: [BTC, ETH], timeframe: '1m', from: START - 86_400_000, to: START + 86_400_000, balance: 10_000 });
    expect(started).toMatchObject({ strategy: 'trend-pullback', phase: 'fetching', percent: 0 });
    await until(() => h.latest().phase === 'done' || h.latest().phase === 'failed');
    const done = h.latest();
    expect(done.message).toBe('done');
    const percents = h.jobs().map((j) => j.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(h.jobs().map((j) => j.phase))).toEqual(new Set(['fetching', 'running', 'done']));
    const report = done.report!;
    expect(report.summary).toMatchObject({ strategy: 'trend-pullback', symbols: [BTC, ETH], timeframe: '1m', startBalance: 10_000 });
    expect(report.trades).toHaveLength(report.summary.trades);
    expect(report.summary.finalEquity).toBeCloseTo(10_000 + report.trades.reduce((sum, t) => sum + t.net, 0), 6);
    expect(report.equity.time.length).toBeGreaterThan(100);
    expect(h.journal().map((e) => e.type)).toEqual(expect.arrayContaining(['backtest.start', 'backtest.end']));
  });

  it('refuses a second run while one runs, an unknown strategy, and a range the exchange has no history for', async () => {
    const h = await engine({ 'slow.mjs': slow(20) });
    await until(() => h.engine.trading.files!.files.get('file:slow.mjs') !== null);
    const run = { strategy: 'file:slow.mjs', symbols: [BTC], timeframe: '1m' as const, from: START - 86_400_000, to: START + 86_400_000, balance: 10_000 };
    const first = await h.engine.handlers['backtest.run'](run);
    await expect(h.engine.handlers['backtest.run'](run)).rejects.toThrow('A backtest is already running');
    await h.engine.handlers['backtest.cancel']({ id: first.id });
    await until(() => h.latest().phase === 'cancelled');
    await expect(h.engine.handlers['backtest.run']({ ...run, strategy: 'nope' })).rejects.toThrow('No strategy nope');
    await h.engine.handlers['backtest.run']({ ...run, strategy: 'trend-pullback', from: START - 10 * 86_400_000, to: START - 9 * 86_400_000 });
    await until(() => h.latest().phase === 'failed');
    expect(h.latest().message).toBe('The exchange has no 1m history of BTC/USDT:USDT in that range');
  });

  it('leaves the panic button its normal work while a large backtest keeps its worker busy: the flatten ends flat in one round before the run does, and the run then cancels midway', async () => {
    const h = await engine({ 'slow.mjs': slow(10) });
    await until(() => h.engine.trading.files!.files.get('file:slow.mjs') !== null);
    const ticket = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: h.prices[BTC]! * 0.98, takeProfit: h.prices[BTC]! * 1.04, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: ticket.id });
    expect(h.paper.sim.positions().some((p) => p.positionAmt !== 0)).toBe(true);

    const job = await h.engine.handlers['backtest.run']({ strategy: 'file:slow.mjs', symbols: [BTC], timeframe: '1m', from: START - 86_400_000, to: START + 86_400_000, balance: 10_000 });
    await until(() => h.latest().phase === 'running' && h.latest().percent > 30);
    const report = await h.engine.handlers.flatten({ reason: 'panic during a backtest' });
    expect(report).toMatchObject({ flat: true, attempts: 1 });
    expect(h.paper.sim.positions().every((p) => p.positionAmt === 0)).toBe(true);
    expect(h.latest()).toMatchObject({ id: job.id, phase: 'running' });

    await h.engine.handlers['backtest.cancel']({ id: job.id });
    await until(() => h.latest().phase === 'cancelled');
    expect(h.latest().report).toMatchObject({ cancelled: true });
    expect(h.latest().percent).toBeLessThan(100);
  });
});
