import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { expect, test } from '@playwright/test';
import type { OpeningSeedReply } from '../../electron/engine/opening-seed';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { defaultMarkets } from '../../electron/engine/sim/markets';

/** The Electron app cannot run here (no binary), so its bundle's worker threads are started as it would start them. */
const OUT_MAIN = path.resolve(import.meta.dirname, '../../out/main');

test.describe('the desktop build (out/, as npm start runs it)', () => {
  test('has every worker thread the engine starts beside its main bundle', () => {
    for (const worker of ['strategy-worker.js', 'backtest-worker.js', 'opening-seed-worker.js']) {
      expect(fs.existsSync(path.join(OUT_MAIN, worker)), `out/main/${worker} (run npm run build)`).toBe(true);
    }
  });

  test('chooses a new paper session’s seed in its bundled worker, off the window’s thread', async () => {
    const startTime = Date.UTC(2026, 11, 6, 5, 49, 26);
    const worker = new Worker(path.join(OUT_MAIN, 'opening-seed-worker.js'), { workerData: { startTime, settings: DEFAULT_SETTINGS, markets: defaultMarkets() } });
    const reply = await new Promise<OpeningSeedReply>((resolve, reject) => {
      worker.on('message', (message: OpeningSeedReply) => message.type !== 'miss' && resolve(message));
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(reply).toMatchObject({ type: 'found', opening: { strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT' } });
  });
});
