import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test } from '@playwright/test';
import type { chooseOpeningSeedInWorkers as ChooseOpeningSeedInWorkers } from '../../electron/engine/opening-seed';
import type { strategyWorkerEntry as StrategyWorkerEntry } from '../../electron/engine/strategy/worker-evaluator';
import { defaultMarkets } from '../../electron/engine/sim/markets';
import { DEFAULT_SETTINGS } from '../../shared/settings';

/**
 * The Electron app cannot run here (no binary), so the parts of its bundle that start worker threads are
 * loaded from out/main and called as the app calls them: each finds its worker's file from where the
 * bundler put it.
 */
const OUT_MAIN = path.resolve(import.meta.dirname, '../../out/main');

/** The function `name` from whichever file of out/main the bundler put it in (its export is renamed, its name is kept). */
async function bundled<T>(name: string): Promise<T> {
  const files = (fs.readdirSync(OUT_MAIN, { recursive: true }) as string[]).filter((f) => f.endsWith('.js') && fs.readFileSync(path.join(OUT_MAIN, f), 'utf8').includes(`function ${name}(`));
  expect(files, `out/main has ${name} (run npm run build)`).toHaveLength(1);
  const module = (await import(pathToFileURL(path.join(OUT_MAIN, files[0]!)).href)) as Record<string, unknown>;
  const found = Object.values(module).find((value) => typeof value === 'function' && value.name === name);
  expect(found, `${files[0]} exports ${name}`).toBeDefined();
  return found as T;
}

test.describe('the desktop build (out/, as npm start runs it)', () => {
  test('finds each worker thread’s entry beside the bundle file that starts it', async () => {
    const entry = (await bundled<typeof StrategyWorkerEntry>('strategyWorkerEntry'))();
    expect(fs.existsSync(entry.file), entry.file).toBe(true);
    for (const worker of ['strategy-worker.js', 'backtest-worker.js', 'opening-seed-worker.js']) {
      expect(fs.existsSync(path.join(OUT_MAIN, worker)), `out/main/${worker}`).toBe(true);
    }
  });

  test('chooses a new paper session’s seed in its bundled workers, off the window’s thread', async () => {
    const choose = await bundled<typeof ChooseOpeningSeedInWorkers>('chooseOpeningSeedInWorkers');
    const opening = await choose({ startTime: Date.UTC(2026, 11, 6, 5, 49, 26), settings: DEFAULT_SETTINGS, markets: defaultMarkets() });
    expect(opening).toMatchObject({ strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT' });
  });
});
