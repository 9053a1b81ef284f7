import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultMarkets } from '../markets';
import { createSimExchange } from '../sim-exchange';
import { createReplayFeed, loadReplayFile, parseReplayData } from './replay';

const parseOhlcv = (text: string, source?: string) => parseReplayData(text, source).bars;

const BTC = 'BTC/USDT:USDT';
const T = Date.UTC(2024, 0, 1);
const bars = [
  { time: T, open: 100, high: 106, low: 97, close: 103, volume: 30 },
  { time: T + 60_000, open: 103, high: 104, low: 95, close: 96, volume: 60 },
  { time: T + 120_000, open: 96, high: 99, low: 96, close: 98, volume: 12 },
];

describe('OHLCV parsing', () => {
  it('reads JSON rows like Binance klines, JSON objects and CSV with a header', () => {
    const rows = JSON.stringify(bars.map((b) => [b.time, String(b.open), String(b.high), String(b.low), String(b.close), String(b.volume), 0, '0']));
    expect(parseOhlcv(rows)).toEqual(bars);
    const objects = JSON.stringify(bars.map((b) => ({ Timestamp: new Date(b.time).toISOString(), ...b, time: undefined })));
    expect(parseOhlcv(objects)).toEqual(bars);
    const csv = ['time,open,high,low,close,volume', ...bars.map((b) => `${b.time / 1000},${b.open},${b.high},${b.low},${b.close},${b.volume}`)].join('\n');
    expect(parseOhlcv(csv)).toEqual(bars);
  });

  it.each([
    ['broken JSON', '[[1,2', /not valid JSON/],
    ['a JSON object', '{"a":1}', /expected a JSON array/],
    ['a short row', '[[1,2,3],[2,2,3]]', /bar 1: expected \[time, open, high, low, close, volume\]/],
    ['a non-number', '[[1,"x",3,1,2,1],[2,2,3,1,2,1]]', /bar 1: open "x" is not a number/],
    ['a high below the close', '[[1,2,2,1,3,1],[2,2,3,1,2,1]]', /bar 1: high 2 is below/],
    ['a zero low', '[[1,2,3,0,2,1],[2,2,3,1,2,1]]', /bar 1: low 0 must be above zero/],
    ['times out of order', '[[2,2,3,1,2,1],[1,2,3,1,2,1]]', /bar 2 opens at 1000, not after/],
    ['a single bar', '[[1,2,3,1,2,1]]', /at least two bars/],
    ['CSV without a time column', 'open,high,low,close,volume\n1,2,1,1,1', /needs a time column/],
    ['CSV without volume', 'time,open,high,low,close\n1,2,3,1,2', /no "volume" column/],
    ['a ragged CSV line', 'time,open,high,low,close,volume\n1,2,3,1,2,1\n2,2,3', /line 3: expected 6 values, got 3/],
    ['an empty file', '', /empty/],
  ])('rejects %s clearly', (_, text, error) => {
    expect(() => parseOhlcv(text, 'test.json')).toThrow(error);
  });

  it('reads an optional funding-rate column: CSV funding_rate or a fundingRate field, empty on bars without one', () => {
    const csv = ['time,open,high,low,close,volume,funding_rate', ...bars.map((b, i) => `${b.time},${b.open},${b.high},${b.low},${b.close},${b.volume},${i === 1 ? '0.00025' : ''}`)].join('\n');
    expect(parseReplayData(csv)).toEqual({ bars, fundingRates: [{ time: T + 60_000, rate: 0.00025 }] });
    const objects = JSON.stringify(bars.map((b, i) => ({ ...b, fundingRate: i === 2 ? -0.0003 : null })));
    expect(parseReplayData(objects)).toEqual({ bars, fundingRates: [{ time: T + 120_000, rate: -0.0003 }] });
    expect(parseReplayData(JSON.stringify(bars)).fundingRates).toEqual([]);
    const broken = csv.replace('0.00025', 'high');
    expect(() => parseReplayData(broken, 'f.csv')).toThrow('f.csv: line 3: funding rate "high" is not a number');
  });

  it('loads a file, and names a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const path = join(dir, 'btc.csv');
    writeFileSync(path, ['timestamp,open,high,low,close,volume', ...bars.map((b) => `${b.time},${b.open},${b.high},${b.low},${b.close},${b.volume}`)].join('\n'));
    expect(loadReplayFile(path)).toEqual({ bars, fundingRates: [] });
    expect(() => loadReplayFile(join(dir, 'missing.csv'))).toThrow(/Cannot read OHLCV file .*missing\.csv/);
  });
});

describe('replay feed', () => {
  it('walks each bar open → low → high → close for a rising bar, and open → high → low → close for a falling one', () => {
    const feed = createReplayFeed({ series: { [BTC]: bars }, startAt: T });
    const prices = [0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000].map((t) => feed.next(BTC, T + t).price);
    expect(prices).toEqual([100, 97, 106, 103, 104, 95, 96]);
    expect(feed.next(BTC, T + 150_000).price).toBe(96 + (99 - 96) / 2);
  });

  it('spreads each bar volume over the bar', () => {
    const feed = createReplayFeed({ series: { [BTC]: bars }, startAt: T });
    feed.next(BTC, T);
    expect(feed.next(BTC, T + 30_000).volume).toBeCloseTo(15, 9);
    expect(feed.next(BTC, T + 90_000).volume).toBeCloseTo(15 + 30, 9);
  });

  it('starts where the clock is first asked, and holds the last close after the end', () => {
    const feed = createReplayFeed({ series: { [BTC]: bars } });
    const start = T + 86_400_000;
    expect(feed.next(BTC, start).price).toBe(100);
    expect(feed.next(BTC, start + 60_000).price).toBe(103);
    expect(feed.next(BTC, start + 3_600_000)).toEqual({ price: 98, volume: 60 + 12 });
    expect(feed.next(BTC, start + 7_200_000)).toEqual({ price: 98, volume: 0 });
  });

  it('says where its data ends, shifted like its prices, once the clock has first asked', () => {
    const feed = createReplayFeed({ series: { [BTC]: bars } });
    expect(feed.end!()).toBeUndefined();
    feed.next(BTC, T + 86_400_000);
    expect(feed.end!()).toBe(T + 86_400_000 + 180_000);
  });

  it('gives each settlement the latest funding rate of the 8 hours before it, shifted like its prices', () => {
    const HOUR = 3_600_000;
    const hourly = Array.from({ length: 20 }, (_, i) => ({ time: T + i * HOUR, open: 100, high: 100, low: 100, close: 100, volume: 1 }));
    const shift = 5 * 86_400_000 - 20 * 60_000;
    const feed = createReplayFeed({
      series: { [BTC]: hourly },
      fundingRates: { [BTC]: [{ time: T + 2 * HOUR, rate: 0.0001 }, { time: T + 7 * HOUR, rate: 0.0004 }, { time: T + 9 * HOUR, rate: -0.0002 }] },
      startAt: T + shift,
    });
    const settlement = (hours: number) => feed.fundingRate!(BTC, T + 5 * 86_400_000 + hours * HOUR);
    expect(settlement(8)).toBe(0.0004);
    expect(settlement(16)).toBe(-0.0002);
    expect(settlement(24)).toBeUndefined();
    expect(feed.fundingRate!('ETH/USDT:USDT', T + 5 * 86_400_000 + 8 * HOUR)).toBeUndefined();
  });

  it('names a symbol it has no data for', () => {
    const feed = createReplayFeed({ series: { [BTC]: bars } });
    expect(() => feed.next('ETH/USDT:USDT', T)).toThrow(/no data for ETH\/USDT:USDT; the replay holds BTC\/USDT:USDT/);
  });

  it('gives a simulator the file bars as its warm-up history', () => {
    const btc = defaultMarkets()[0]!;
    const sim = createSimExchange({
      markets: [btc],
      feed: createReplayFeed({ series: { [BTC]: bars } }),
      startTime: T + 10 * 86_400_000 + 180_000,
      startBalance: 1_000,
      seed: 1,
      warmupBars: 3,
    });
    const history = sim.candles(BTC, '1m').slice(0, 3);
    expect(history.map(({ time, ...rest }) => rest)).toEqual(bars.map(({ time, ...rest }) => rest));
    expect(history[0]!.time).toBe(T + 10 * 86_400_000);
  });
});
