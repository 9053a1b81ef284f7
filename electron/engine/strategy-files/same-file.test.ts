import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { candleSeries, runBacktest } from '../backtest';
import { runBacktestInWorker } from '../backtest-jobs/worker-backtest';
import { loadStrategyFile } from '../strategy/strategy-file';
import { transpileStrategy } from './transpile';

const BTC = 'BTC/USDT:USDT';
const readme = fs.readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
const example = /A complete example, `breakout\.ts`:\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;

/** Five-minute bars swinging through breakouts and breakdowns. */
function bars(count: number): Candle[] {
  return Array.from({ length: count }, (_, i) => {
    const close = 60_000 * (1 + 0.03 * Math.sin(i / 17) + 0.01 * Math.sin(i / 3));
    const open = 60_000 * (1 + 0.03 * Math.sin((i - 1) / 17) + 0.01 * Math.sin((i - 1) / 3));
    return { time: Date.UTC(2025, 0, 1) + i * 300_000, open, high: Math.max(open, close) * 1.001, low: Math.min(open, close) * 0.999, close, volume: 10 };
  });
}

describe('one strategy file, two ways to backtest it', () => {
  it('gives identical results through npm run backtest’s loader and through the Backtest view’s worker', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'same-file-'));
    try {
      const file = path.join(dir, 'breakout.ts');
      fs.writeFileSync(file, example);
      const candles = bars(1_500);
      const params = { lookback: 12, stopPct: 5 };
      const cli = runBacktest({
        strategy: await loadStrategyFile(file, params),
        data: [{ candles: candleSeries(BTC, '5m', candles) }],
        settings: DEFAULT_SETTINGS,
        balance: 10_000,
      });
      const view = await runBacktestInWorker({
        strategy: { kind: 'file', file: { id: 'file:breakout.ts', module: await transpileStrategy(file, path.join(dir, 'build')), params } },
        series: [{ symbol: BTC, timeframe: '5m', candles }],
        settings: DEFAULT_SETTINGS,
        balance: 10_000,
      });
      expect(cli.summary.trades).toBeGreaterThan(3);
      // The worker loads the module the engine transpiled (named by its hash), so only the id it reports differs.
      expect(view.summary.strategy).toMatch(/^file:breakout-[0-9a-f]{16}\.mjs$/);
      expect({ ...view.summary, strategy: cli.summary.strategy }).toEqual(cli.summary);
      expect(view.trades).toEqual(cli.trades);
      await expect(loadStrategyFile(file, { lookback: 500 })).rejects.toThrow('parameter lookback must be between 5 and 200, got 500');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
