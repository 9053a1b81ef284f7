import { AreaSeries, ColorType, createChart, LineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import type { BacktestReport } from '../../../shared/domain';
import { palette } from '../theme/palette';

interface EquitySeries {
  chart: IChartApi;
  equity: ISeriesApi<'Line', UTCTimestamp>;
  drawdown: ISeriesApi<'Area', UTCTimestamp>;
}

/** A backtest's equity curve, and below it (its own pane) the drawdown from the running peak, in percent. */
export function EquityChart({ curve }: { curve: BacktestReport['equity'] }) {
  const container = useRef<HTMLDivElement>(null);
  const [series, setSeries] = useState<EquitySeries | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const chart = createChart(container.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: palette.background }, textColor: palette.text, fontSize: 11 },
      grid: { vertLines: { color: palette.grid }, horzLines: { color: palette.grid } },
      timeScale: { borderColor: palette.grid, timeVisible: true, secondsVisible: false },
    });
    const equity = chart.addSeries(LineSeries, { color: palette.entry, lineWidth: 2, priceLineVisible: false }) as ISeriesApi<'Line', UTCTimestamp>;
    const drawdown = chart.addSeries(AreaSeries, { lineColor: palette.down, topColor: 'rgba(239, 83, 80, 0.05)', bottomColor: 'rgba(239, 83, 80, 0.4)', priceLineVisible: false }, 1) as ISeriesApi<'Area', UTCTimestamp>;
    setSeries({ chart, equity, drawdown });
    return () => chart.remove();
  }, []);

  useEffect(() => {
    if (!series) return;
    const time = (i: number) => (curve.time[i]! / 1000) as UTCTimestamp;
    series.equity.setData(curve.equity.map((value, i) => ({ time: time(i), value })));
    series.drawdown.setData(curve.drawdownPct.map((value, i) => ({ time: time(i), value: -value })));
    series.chart.timeScale().fitContent();
  }, [series, curve]);

  return <div ref={container} className="backtest-equity" data-testid="backtest-equity" data-points={curve.time.length} />;
}
