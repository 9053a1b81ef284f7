import {
  CandlestickSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  CrosshairMode,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { palette } from '../theme/palette';
import { decimalsOf } from '../format/numbers';

/** The chart and the series the cockpit draws on it. */
export interface CockpitChart {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick', UTCTimestamp>;
  volume: ISeriesApi<'Histogram', UTCTimestamp>;
  markers: ISeriesMarkersPluginApi<UTCTimestamp>;
}

/** A dark candlestick chart with a volume histogram on its own overlay scale. */
export function createCockpitChart(container: HTMLElement): CockpitChart {
  const chart = createChart(container, {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: palette.background }, textColor: palette.text, fontSize: 11 },
    grid: { vertLines: { color: palette.grid }, horzLines: { color: palette.grid } },
    crosshair: { mode: CrosshairMode.Normal },
    rightPriceScale: { borderColor: palette.grid },
    timeScale: { borderColor: palette.grid, timeVisible: true, secondsVisible: false },
  });
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: palette.up,
    downColor: palette.down,
    wickUpColor: palette.up,
    wickDownColor: palette.down,
    borderVisible: false,
  }) as ISeriesApi<'Candlestick', UTCTimestamp>;
  const volume = chart.addSeries(HistogramSeries, {
    priceFormat: { type: 'volume' },
    priceScaleId: 'volume',
    lastValueVisible: false,
    priceLineVisible: false,
  }) as ISeriesApi<'Histogram', UTCTimestamp>;
  chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.82, bottom: 0 } });
  candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.22 } });
  const markers = createSeriesMarkers(candles, []) as ISeriesMarkersPluginApi<UTCTimestamp>;
  return { chart, candles, volume, markers };
}

/** Shows prices with the market's tick. */
export function applyTickSize(series: ISeriesApi<'Candlestick', UTCTimestamp>, tickSize: number): void {
  series.applyOptions({ priceFormat: { type: 'price', precision: decimalsOf(tickSize), minMove: tickSize } });
}
