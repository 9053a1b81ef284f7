import type { CandlestickData, HistogramData, SeriesMarker, UTCTimestamp } from 'lightweight-charts';
import type { Candle, Fill } from '../../../shared/domain';
import { palette } from '../theme/palette';

/** Chart time is in seconds; the engine's is in milliseconds. */
export const toChartTime = (ms: number): UTCTimestamp => Math.floor(ms / 1000) as UTCTimestamp;

export function toCandleBar(candle: Candle): CandlestickData<UTCTimestamp> {
  return { time: toChartTime(candle.time), open: candle.open, high: candle.high, low: candle.low, close: candle.close };
}

export function toVolumeBar(candle: Candle): HistogramData<UTCTimestamp> {
  return { time: toChartTime(candle.time), value: candle.volume, color: candle.close >= candle.open ? palette.upVolume : palette.downVolume };
}

/** History sorted by time with one bar per open time (the last one wins), as `setData` requires. */
export function normaliseHistory(candles: readonly Candle[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const candle of candles) byTime.set(toChartTime(candle.time), candle);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, candle]) => candle);
}

/** One marker per fill of the symbol, on the bar that contains it: buys below, sells above. */
export function fillMarkers(fills: readonly Fill[], symbol: string, timeframeMs: number): SeriesMarker<UTCTimestamp>[] {
  return fills
    .filter((fill) => fill.symbol === symbol)
    .map((fill) => ({ fill, barTime: toChartTime(Math.floor(fill.time / timeframeMs) * timeframeMs) }))
    .sort((a, b) => a.barTime - b.barTime)
    .map(({ fill, barTime }) => ({
      time: barTime,
      position: fill.side === 'buy' ? ('belowBar' as const) : ('aboveBar' as const),
      shape: fill.side === 'buy' ? ('arrowUp' as const) : ('arrowDown' as const),
      color: fill.side === 'buy' ? palette.up : palette.down,
      text: fill.side === 'buy' ? 'B' : 'S',
    }));
}
