import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { createSyntheticFeed } from '../sim/feeds/synthetic';
import { defaultMarkets } from '../sim/markets';
import { createSimExchange } from '../sim/sim-exchange';
import { startVenue, type Venue } from '../../venue/server';
import { trendPullback } from '../strategy/trend-pullback';
import { backtest, BTC } from './backtest-fixtures';
import { loadDataset } from './dataset';
import { downloadHistory } from './download';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const FROM = START + HOUR;
const TO = START + 17 * HOUR;

let venue: Venue;
beforeAll(async () => {
  const exchange = createSimExchange({ markets: defaultMarkets(), feed: createSyntheticFeed({ seed: 9 }), startTime: START, startBalance: 10_000, seed: 9, tickMs: 10_000, warmupBars: 0 });
  venue = await startVenue({ speed: 0, exchange });
  venue.advanceTo(TO + 5 * 60_000);
});
afterAll(async () => {
  await venue?.close();
});

describe('--download', () => {
  it('pages candles and funding rates from the venue through ccxt into a freqtrade folder, reuses it, and backtests it', async () => {
    const datadir = mkdtempSync(path.join(os.tmpdir(), 'backtest-download-'));
    const progress: string[] = [];
    const options = { exchange: 'binanceusdm', url: venue.url, datadir, pairs: [BTC], timeframe: '1m' as const, from: FROM, to: TO, pageLimit: 200, progress: { write: (t: string) => progress.push(t) } };
    const [report] = await downloadHistory(options);
    expect(report).toMatchObject({ pair: BTC, candles: 960, fundingRates: 2, cached: false });
    expect(report!.requests, 'more than one request’s worth of candles').toBeGreaterThan(5);
    expect(progress.join('')).toMatch(/\[#{30}\] 100%/);
    expect(progress.join('')).toMatch(/\[#{6} {24}\] 2\d%/);

    const [again] = await downloadHistory(options);
    expect(again).toMatchObject({ cached: true, requests: 0 });

    const data = loadDataset({ datadir, pairs: [BTC], data: [], funding: [], mark: [] }, '1m');
    expect(data[0]!.candles.time[0]).toBe(FROM);
    expect(data[0]!.candles.time.length).toBe(960);
    expect(Array.from(data[0]!.funding!.time)).toEqual([START + 8 * HOUR, START + 16 * HOUR]);
    expect(data[0]!.candles.close[100]).toBe(venue.exchange.candles(BTC, '1m', { since: FROM + 100 * 60_000, limit: 1 })[0]!.close);
    const strategy = trendPullback({ ...DEFAULT_SETTINGS.strategies[0]!, smaFast: 5, smaSlow: 12, rsiLongBelow: 45, rsiShortAbove: 55 });
    const result = backtest({ strategy, data, slippage: undefined });
    expect(result.summary.candles).toBe(960);
  });
});
