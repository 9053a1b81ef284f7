import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCandles } from '../../electron/engine/backtest/data-files';
import { FIXTURE_START, paperFeedCandles, toCsv } from '../../scripts/paper-feed-candles';

describe('backtest fixture candles from the paper feed', () => {
  const day = () => paperFeedCandles({ seed: 7, days: 1, symbol: 'BTC/USDT:USDT' });

  it('are the same for the same seed, and differ for another', () => {
    expect(toCsv(day())).toBe(toCsv(day()));
    expect(toCsv(paperFeedCandles({ seed: 8, days: 1, symbol: 'BTC/USDT:USDT' }))).not.toBe(toCsv(day()));
  });

  it('are a day of gapless one-minute bars the backtest reads as they are written', () => {
    const candles = day();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fixture-')), 'btc.csv');
    fs.writeFileSync(file, toCsv(candles));
    const series = loadCandles(file, 'BTC/USDT:USDT', '1m');
    expect(series.time.length).toBe(1_440);
    expect(series.time[0]).toBe(FIXTURE_START);
    expect(Array.from(series.close)).toEqual(candles.map((c) => c.close));
    expect(candles.every((c) => c.low <= Math.min(c.open, c.close) && c.high >= Math.max(c.open, c.close))).toBe(true);
  });

  it('make longer bars of the same prices: an hour opens at its first minute and closes at its last', () => {
    const minutes = day();
    const hours = paperFeedCandles({ seed: 7, days: 1, symbol: 'BTC/USDT:USDT', timeframe: '1h' });
    expect(hours).toHaveLength(24);
    expect(hours[1]).toMatchObject({ time: minutes[60]!.time, open: minutes[60]!.open, close: minutes[119]!.close });
    expect(hours[1]!.high).toBe(Math.max(...minutes.slice(60, 120).map((m) => m.high)));
  });

  it('refuse a number of days that is not a whole number above zero, or an unknown timeframe', () => {
    expect(() => paperFeedCandles({ seed: 7, days: 0, symbol: 'BTC/USDT:USDT' })).toThrow(/--days must be a whole number above zero, got 0/);
    expect(() => paperFeedCandles({ seed: 7, days: 1, symbol: 'BTC/USDT:USDT', timeframe: '7m' as never })).toThrow(/--timeframe must be one of/);
  });
});
