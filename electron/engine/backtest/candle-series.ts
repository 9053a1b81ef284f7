import { TIMEFRAME_MS, type Candle, type Timeframe } from '../../../shared/domain';
import type { CandleSeries } from './types';

/** A row of bad market data: the error names the source and the row, and nothing is guessed. */
export class BadDataError extends Error {
  constructor(source: string, row: number | null, problem: string) {
    super(row === null ? `${source}: ${problem}` : `${source}: row ${row}: ${problem}`);
    this.name = 'BadDataError';
  }
}

const iso = (time: number): string => new Date(time).toISOString();

/**
 * Checks one bar (row numbers count from 1): prices above zero, high and low
 * around open and close, volume not negative, and opening exactly one
 * timeframe after the bar before it (no gap, no repeat, sorted).
 */
export function checkBar(source: string, row: number, timeframeMs: number, previousTime: number | null, time: number, open: number, high: number, low: number, close: number, volume: number): void {
  if (!Number.isFinite(time)) throw new BadDataError(source, row, `time ${time} is not a timestamp`);
  for (const [name, value] of [
    ['open', open],
    ['high', high],
    ['low', low],
    ['close', close],
  ] as const) {
    if (!(Number.isFinite(value) && value > 0)) throw new BadDataError(source, row, `${name} ${value} is not a price above zero`);
  }
  if (!(Number.isFinite(volume) && volume >= 0)) throw new BadDataError(source, row, `volume ${volume} is not a number of zero or more`);
  if (high < Math.max(open, close, low)) throw new BadDataError(source, row, `high ${high} is below the open, close or low`);
  if (low > Math.min(open, close)) throw new BadDataError(source, row, `low ${low} is above the open or close`);
  if (time % timeframeMs !== 0) throw new BadDataError(source, row, `bar opens at ${iso(time)}, not on a ${timeframeMs / 60_000}-minute boundary`);
  if (previousTime === null) return;
  if (time <= previousTime) throw new BadDataError(source, row, `bar opens at ${iso(time)}, not after the bar before it (${iso(previousTime)}): rows must be sorted, without repeats`);
  if (time !== previousTime + timeframeMs) {
    throw new BadDataError(source, row, `gap: bar opens at ${iso(time)}, ${(time - previousTime - timeframeMs) / 60_000} minutes of bars missing after ${iso(previousTime)}`);
  }
}

/** An empty series of `length` bars, to be filled by a loader. */
export function allocateSeries(symbol: string, timeframe: Timeframe, source: string, length: number): CandleSeries {
  return {
    symbol,
    timeframe,
    source,
    time: new Float64Array(length),
    open: new Float64Array(length),
    high: new Float64Array(length),
    low: new Float64Array(length),
    close: new Float64Array(length),
    volume: new Float64Array(length),
  };
}

/** Checks every bar of a filled series (see `checkBar`); returns it. */
export function validateSeries(series: CandleSeries): CandleSeries {
  const tf = TIMEFRAME_MS[series.timeframe];
  if (series.time.length === 0) throw new BadDataError(series.source, null, 'no bars');
  for (let i = 0; i < series.time.length; i++) {
    checkBar(series.source, i + 1, tf, i === 0 ? null : series.time[i - 1]!, series.time[i]!, series.open[i]!, series.high[i]!, series.low[i]!, series.close[i]!, series.volume[i]!);
  }
  return series;
}

/**
 * Candles in memory (the history the engine holds, a test's bars) as a checked
 * series: the way to backtest what is already loaded.
 *
 * @example candleSeries('BTC/USDT:USDT', '5m', market.candles('BTC/USDT:USDT', '5m'))
 */
export function candleSeries(symbol: string, timeframe: Timeframe, candles: readonly Candle[], source = `${symbol} ${timeframe} candles`): CandleSeries {
  const series = allocateSeries(symbol, timeframe, source, candles.length);
  candles.forEach((c, i) => {
    series.time[i] = c.time;
    series.open[i] = c.open;
    series.high[i] = c.high;
    series.low[i] = c.low;
    series.close[i] = c.close;
    series.volume[i] = c.volume;
  });
  return validateSeries(series);
}

/** The bars of `series` opening in [from, to). */
export function sliceSeries(series: CandleSeries, from: number, to: number): CandleSeries {
  let start = 0;
  while (start < series.time.length && series.time[start]! < from) start++;
  let end = series.time.length;
  while (end > start && series.time[end - 1]! >= to) end--;
  return {
    ...series,
    time: series.time.subarray(start, end),
    open: series.open.subarray(start, end),
    high: series.high.subarray(start, end),
    low: series.low.subarray(start, end),
    close: series.close.subarray(start, end),
    volume: series.volume.subarray(start, end),
  };
}
