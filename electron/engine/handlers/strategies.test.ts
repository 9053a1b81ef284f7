import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../dispatch';
import { flush, paperEngine } from '../testing/paper-engine';

const BTC = 'BTC/USDT:USDT';

/** Proposes a long on every closed candle: stop 2% under, take-profit 4% over. */
const EVERY_BAR = `
export default {
  label: 'Every bar',
  timeframe: '1m',
  params: { stopPct: { default: 2, min: 0.5, max: 5 } },
  warmup: 0,
  forSymbol(symbol, p) {
    return {
      onCandle(candle) {
        const entry = candle.close;
        return { symbol, side: 'long', entry, stop: entry * (1 - p.stopPct / 100), takeProfit: entry * (1 + (2 * p.stopPct) / 100), reason: 'every bar' };
      },
    };
  },
};
`;

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  await flush();
  expect(condition()).toBe(true);
}

/** Closes one 1m bar after another until `found` gives something (the strategy's worker answers in real time). */
async function nextBarsUntil<T>(h: { advance(ms: number): void }, found: () => T | undefined, bars = 100): Promise<T> {
  for (let i = 0; i < bars; i++) {
    const value = found();
    if (value !== undefined) return value;
    h.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing after ${bars} bars`);
}

async function engineWithFiles(files: Record<string, string>) {
  const h = await paperEngine({ trading: { strategyFilesPollMs: 100 } });
  const dir = path.join(h.dataDir, 'strategies');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  await h.engine.start();
  const views = () => h.engine.trading.files!.views();
  await until(() => views().length === Object.keys(files).length);
  return { ...h, dir, views };
}

describe('strategy files through the engine', () => {
  it('lists a broken file with its error and goes on trading; the strategies folder is reported by path when headless', async () => {
    const h = await engineWithFiles({ 'broken.ts': 'export default {', 'every-bar.mjs': EVERY_BAR });
    expect(h.views().map((v) => [v.file, v.error === null])).toEqual([
      ['broken.ts', false],
      ['every-bar.mjs', true],
    ]);
    expect(h.views()[0]!.error).toContain('did not load: it does not compile');
    expect(h.last('strategyFiles')).toEqual(h.views());
    expect((await h.engine.handlers['session.snapshot']({})).strategyFiles).toEqual(h.views());
    expect(await h.engine.handlers['strategies.folder']({})).toEqual({ path: h.dir, opened: false });
    expect(await dispatch(h.engine.handlers, 'strategy.set', { id: 'file:broken.ts', params: { x: 1 } })).toMatchObject({ ok: false, error: { type: 'refused' } });
    expect(await h.engine.handlers.flatten({ reason: 'still answers' })).toMatchObject({ flat: true });
  });

  it('refuses parameters outside the bounds the file declares, field by field', async () => {
    const h = await engineWithFiles({ 'every-bar.mjs': EVERY_BAR });
    const refused = await dispatch(h.engine.handlers, 'strategy.set', { id: 'file:every-bar.mjs', params: { stopPct: 9 } });
    expect(refused).toMatchObject({ ok: false, error: { type: 'invalid-input', fields: { 'params.stopPct': 'stopPct must be between 0.5 and 5, got 9' } } });
    expect(await dispatch(h.engine.handlers, 'strategy.set', { id: 'file:nope.ts', enabled: true })).toMatchObject({ ok: false, error: { type: 'not-found' } });
    expect(h.engine.trading.snapshot().settings.strategyFiles).toEqual([]);
  });

  it('once enabled on a symbol proposes there with its record, and its closed trade shows in the next proposal’s live record', async () => {
    const h = await engineWithFiles({ 'every-bar.mjs': EVERY_BAR });
    const set = await h.engine.handlers['strategy.set']({ id: 'file:every-bar.mjs', enabled: true, symbols: [BTC], params: { stopPct: 5 } });
    expect(set).toMatchObject({ id: 'file:every-bar.mjs', enabled: true });
    expect(h.engine.trading.snapshot().settings.strategyFiles).toEqual([
      { id: 'file:every-bar.mjs', enabled: true, auto: false, symbols: [BTC], params: { stopPct: 5 }, maxConcurrentPositions: 3 },
    ]);
    const mine = () => h.engine.trading.proposals.list().filter((p) => p.source === 'file:every-bar.mjs');
    await until(() => h.engine.trading.strategies().some((s) => s.id === 'file:every-bar.mjs'));
    const first = await nextBarsUntil(h, () => mine()[0]);
    expect(mine().every((p) => p.symbol === BTC)).toBe(true);
    expect(first).toMatchObject({ symbol: BTC, side: 'long', record: { strategy: 'file:every-bar.mjs', symbol: BTC, timeframe: '1m', backtest: null, live: null } });
    expect(first.stop).toBeCloseTo(first.entry * 0.95, 0);

    await h.engine.handlers['proposal.approve']({ id: first.id });
    await h.engine.handlers['position.close']({ symbol: BTC });
    await until(() => h.engine.trading.trades.liveRecord('file:every-bar.mjs') !== null);
    const earlier = new Set(mine().map((p) => p.id));
    const next = () => mine().find((p) => !earlier.has(p.id));
    expect((await nextBarsUntil(h, next)).record!.live).toMatchObject({ closedTrades: 1, winRate: 0 });
  });
});
