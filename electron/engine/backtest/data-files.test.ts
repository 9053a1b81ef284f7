import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { Float64, makeVector, Table, tableToIPC, TimestampMillisecond, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { trendPullback } from '../strategy/trend-pullback';
import { backtest, BTC, T0 } from './backtest-fixtures';
import { loadCandles, loadFunding, loadMark } from './data-files';
import { loadDataset } from './dataset';
import { decodeLz4Frame } from './feather-codecs';
import { randomWalk } from './random-walk';
import type { CandleSeries } from './types';

const dir = mkdtempSync(path.join(os.tmpdir(), 'backtest-data-'));
const file = (name: string, content: string | Uint8Array) => {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, content);
  return p;
};
const MINUTE = 60_000;

type Row = [number, number, number, number, number, number];
const rowsOf = (s: CandleSeries): Row[] => Array.from(s.time, (t, i) => [t, s.open[i]!, s.high[i]!, s.low[i]!, s.close[i]!, s.volume[i]!]);
const csv = (rows: Row[]) => ['time,open,high,low,close,volume', ...rows.map((r) => r.join(','))].join('\n');
const feather = (rows: Row[]) =>
  tableToIPC(
    new Table({
      date: vectorFromArray(
        rows.map((r) => r[0]),
        new TimestampMillisecond(),
      ),
      ...Object.fromEntries(['open', 'high', 'low', 'close', 'volume'].map((name, k) => [name, makeVector(Float64Array.from(rows, (r) => r[k + 1]!))])),
    }),
    'file',
  );
void Float64;

const walk = randomWalk({ symbol: BTC, timeframe: '5m', bars: 3_000, start: T0, startPrice: 60_000, volatility: 0.002, seed: 4 });
const good: Row[] = rowsOf(walk).slice(0, 5);

describe('backtest data files', () => {
  it('reads the same candles from CSV, JSON rows, .json.gz and feather', () => {
    const rows = rowsOf(walk);
    const series = [
      loadCandles(file('a.csv', csv(rows)), BTC, '5m'),
      loadCandles(file('a.json', JSON.stringify(rows)), BTC, '5m'),
      loadCandles(file('a.json.gz', gzipSync(JSON.stringify(rows))), BTC, '5m'),
      loadCandles(file('a.feather', feather(rows)), BTC, '5m'),
    ];
    for (const s of series) {
      expect(Array.from(s.time)).toEqual(Array.from(walk.time));
      expect(Array.from(s.close)).toEqual(Array.from(walk.close));
      expect(Array.from(s.volume)).toEqual(Array.from(walk.volume));
    }
  });

  it('names the file and row of a gap, an unsorted row and a price that is not above zero', () => {
    const gap = good.filter((_, i) => i !== 2);
    expect(() => loadCandles(file('gap.json', JSON.stringify(gap)), BTC, '5m')).toThrow(/gap\.json: row 3: gap: bar opens at 2024-01-01T00:15:00\.000Z, 5 minutes of bars missing/);
    const unsorted = [good[0]!, good[2]!, good[1]!, good[3]!];
    expect(() => loadCandles(file('unsorted.csv', csv(unsorted)), BTC, '5m')).toThrow(/unsorted\.csv: bar 3 opens at .* not after the bar before it/);
    const zero = good.map((r, i): Row => (i === 3 ? [r[0], r[1], r[2], r[3], 0, r[5]] : r));
    expect(() => loadCandles(file('zero.feather', feather(zero)), BTC, '5m')).toThrow(/zero\.feather: row 4: close 0 is not a price above zero/);
    const negative = good.map((r, i): Row => (i === 1 ? [r[0], r[1], r[2], -5, r[4], r[5]] : r));
    expect(() => loadCandles(file('negative.json', JSON.stringify(negative)), BTC, '5m')).toThrow(/negative\.json: .*bar 2: low -5 must be above zero/);
    expect(() => loadCandles(file('wrong-tf.json', JSON.stringify(good)), BTC, '15m')).toThrow(/wrong-tf\.json: row 2: .*not on a 15-minute boundary|wrong-tf\.json: row 1: .*not on a 15-minute boundary/);
    expect(() => loadFunding(file('funding.json', JSON.stringify([good[1], good[0]])))).toThrow(/funding\.json: row 2: settlement at .* is not after the row before it/);
    expect(() => loadCandles(file('a.parquet', 'x'), BTC, '5m')).toThrow(/a\.parquet: unknown data format/);
    expect(() => loadCandles(path.join(dir, 'missing.json'), BTC, '5m')).toThrow(/Cannot read data file .*missing\.json/);
  });

  it('decodes LZ4 frames, freqtrade’s default feather compression, literals and matches alike', () => {
    // "abcabcabcabc": four literals "abca", then a match of 8 at offset 3.
    const block = [0x44, ...Buffer.from('abca'), 0x03, 0x00];
    const frame = Uint8Array.from([0x04, 0x22, 0x4d, 0x18, 0x60, 0x40, 0x82, block.length, 0, 0, 0, ...block, 0, 0, 0, 0]);
    expect(Buffer.from(decodeLz4Frame(frame)).toString()).toBe('abcabcabcabc');
    expect(() => decodeLz4Frame(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]))).toThrow(/not an LZ4 frame/);
  });

  it('finds a freqtrade data folder’s candles, funding-rate and mark files, and backtests them as --data, --funding and --mark give them', () => {
    const pair = 'BTC/USDT:USDT';
    const rows = rowsOf(walk);
    const funding: Row[] = [];
    const mark: Row[] = [];
    for (let t = T0; t <= rows[rows.length - 1]![0]; t += 8 * 60 * MINUTE) funding.push([t, 0.0001 * (1 + (t / (8 * 60 * MINUTE)) % 3), 0, 0, 0, 0]);
    for (let t = T0; t <= rows[rows.length - 1]![0]; t += 60 * MINUTE) {
      const i = (t - T0) / (5 * MINUTE);
      mark.push([t, rows[i]![1] * 1.0004, rows[i]![2] * 1.0004, rows[i]![3] * 1.0004, rows[i]![4] * 1.0004, 0]);
    }
    const json = path.join(dir, 'ft-json');
    file('ft-json/futures/BTC_USDT_USDT-5m-futures.json', JSON.stringify(rows));
    file('ft-json/futures/BTC_USDT_USDT-8h-funding_rate.json', JSON.stringify(funding));
    file('ft-json/futures/BTC_USDT_USDT-1h-mark.json', JSON.stringify(mark));
    const arrow = path.join(dir, 'ft-feather');
    file('ft-feather/futures/BTC_USDT_USDT-5m-futures.feather', feather(rows));
    file('ft-feather/futures/BTC_USDT_USDT-8h-funding_rate.feather', feather(funding));
    file('ft-feather/futures/BTC_USDT_USDT-1h-mark.feather', feather(mark));
    const singles: Parameters<typeof loadDataset>[0] = {
      datadir: null,
      pairs: [],
      data: [[pair, path.join(json, 'futures/BTC_USDT_USDT-5m-futures.json')]],
      funding: [[pair, file('single-funding.csv', csv(funding))]],
      mark: [[pair, file('single-mark.json', JSON.stringify(mark))]],
    };
    const strategy = trendPullback({ ...DEFAULT_SETTINGS.strategies[0]!, timeframe: '5m', smaFast: 5, smaSlow: 12, rsiLongBelow: 45, rsiShortAbove: 55 });
    const run = (data: ReturnType<typeof loadDataset>) => backtest({ strategy, data, slippage: undefined });
    const byFolder = run(loadDataset({ datadir: json, pairs: [pair], data: [], funding: [], mark: [] }, '5m'));
    const byFeather = run(loadDataset({ datadir: arrow, pairs: [pair], data: [], funding: [], mark: [] }, '5m'));
    const byFiles = run(loadDataset(singles, '5m'));
    expect(byFolder.trades.length).toBeGreaterThan(3);
    expect(byFolder.summary.funding, 'funding comes from the file').not.toBe(0);
    expect(JSON.stringify(byFeather.trades)).toBe(JSON.stringify(byFolder.trades));
    expect(JSON.stringify(byFiles.trades)).toBe(JSON.stringify(byFolder.trades));
    expect(JSON.stringify(byFiles.summary)).toBe(JSON.stringify(byFolder.summary));
    const withoutFiles = run(loadDataset({ datadir: null, pairs: [], data: [[pair, path.join(json, 'futures/BTC_USDT_USDT-5m-futures.json')]], funding: [], mark: [] }, '5m'));
    expect(withoutFiles.summary.funding, 'without them, funding comes from the simulated premium').not.toBe(byFolder.summary.funding);
    expect(loadMark(path.join(arrow, 'futures/BTC_USDT_USDT-1h-mark.feather')).intervalMs).toBe(60 * MINUTE);
  });

  it('says which file a freqtrade folder lacks', () => {
    expect(() => loadDataset({ datadir: path.join(dir, 'nowhere'), pairs: ['XRP/USDT:USDT'], data: [], funding: [], mark: [] }, '5m')).toThrow(/No 5m candles for XRP\/USDT:USDT in .*futures: expected XRP_USDT_USDT-5m-futures\.feather or .*json or .*json\.gz/);
  });
});
