import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../shared/domain';
import { candleSeries, runBacktest } from '../backtest';
import type { BacktestJobData } from '../backtest-jobs/job-spec';
import { runBacktestInWorker } from '../backtest-jobs/worker-backtest';
import { readDefinition, strategyFromDefinition } from '../strategy/strategy-definition';
import { flush, paperEngine } from '../testing/paper-engine';
import { backtestRecord } from './record-backtests';

const BTC = 'BTC/USDT:USDT';

/** Goes long when a bar closes above the one before, short when below; exits after three bars. */
const SWING = `
export default {
  label: 'Swing',
  timeframe: '1m',
  warmup: 1,
  forSymbol(symbol) {
    let previous = null;
    let held = 0;
    return {
      onCandle(candle) {
        const before = previous;
        previous = candle.close;
        if (held > 0 && ++held > 3) { held = 0; return { kind: 'exit', symbol, reason: 'three bars' }; }
        if (before === null || held > 0 || candle.close === before) return null;
        held = 1;
        const side = candle.close > before ? 'long' : 'short';
        const d = candle.close * 0.05;
        return { symbol, side, entry: candle.close, stop: side === 'long' ? candle.close - d : candle.close + d, takeProfit: side === 'long' ? candle.close + 2 * d : candle.close - 2 * d, reason: 'swing' };
      },
    };
  },
};
`;

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await flush();
  expect(condition()).toBe(true);
}

describe('the record on a strategy’s proposals', () => {
  it('shows the figures of the backtest run behind it, over the history the engine holds, run in a worker', async () => {
    const jobs: Array<BacktestJobData> = [];
    const prices = { [BTC]: 60_000 };
    const h = await paperEngine({
      prices,
      settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, enabled: false })), strategyFiles: [{ id: 'file:swing.mjs', enabled: true, auto: false, symbols: [BTC], params: {}, maxConcurrentPositions: 3 }] }),
      trading: { strategyFilesPollMs: 100, recordBacktests: true, runBacktest: (job) => (jobs.push(job), runBacktestInWorker(job)) },
    });
    for (let i = 0; i < 120; i++) h.setPrice(BTC, 60_000 * (1 + 0.004 * Math.sin(i / 3)), 30_000);
    fs.mkdirSync(path.join(h.dataDir, 'strategies'), { recursive: true });
    fs.writeFileSync(path.join(h.dataDir, 'strategies', 'swing.mjs'), SWING);
    await h.engine.start();
    await until(() => h.engine.trading.records.backtest('file:swing.mjs', BTC, '1m') !== null);

    const mine = () => h.engine.trading.proposals.list().filter((p: Proposal) => p.source === 'file:swing.mjs');
    for (let i = 0; i < 50 && mine().length === 0; i++) {
      h.setPrice(BTC, (prices[BTC] ?? 60_000) * (i % 2 ? 1.002 : 0.998), 60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const record = mine()[0]!.record!;
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    const module = job!.strategy.kind === 'file' ? job!.strategy.file : null;
    const strategy = strategyFromDefinition(module!.id, readDefinition((await import(module!.module)).default), module!.params);
    const behind = runBacktest({
      strategy,
      data: job!.series.map((s) => ({ candles: candleSeries(s.symbol, s.timeframe, s.candles) })),
      settings: job!.settings,
      balance: job!.balance,
    });
    expect(behind.summary.trades).toBeGreaterThan(5);
    expect(record.backtest).toEqual({ ...backtestRecord(behind.summary, 0), ranAt: record.backtest!.ranAt });
    expect(record).toMatchObject({ strategy: 'file:swing.mjs', symbol: BTC, timeframe: '1m', live: null });
  });

  it('reaches a proposal already pending when its backtest ends after it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const h = await paperEngine({
      settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, enabled: false })), strategyFiles: [{ id: 'file:swing.mjs', enabled: true, auto: false, symbols: [BTC], params: {}, maxConcurrentPositions: 3 }] }),
      trading: { strategyFilesPollMs: 100, recordBacktests: true, runBacktest: async (job) => (await gate, runBacktestInWorker(job)) },
    });
    fs.mkdirSync(path.join(h.dataDir, 'strategies'), { recursive: true });
    fs.writeFileSync(path.join(h.dataDir, 'strategies', 'swing.mjs'), SWING);
    await h.engine.start();
    const pending = () => h.engine.trading.proposals.list().find((p) => p.source === 'file:swing.mjs' && p.status === 'pending');
    for (let i = 0; i < 100 && !pending(); i++) {
      h.setPrice(BTC, 60_000 * (i % 2 ? 1.002 : 0.998), 60_000);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pending()!.record!.backtest).toBeNull();
    release();
    await until(() => pending()?.record?.backtest !== null);
    expect(pending()!.record!.backtest).toEqual(h.engine.trading.records.backtest('file:swing.mjs', BTC, '1m'));
  });
});
