import { useEffect, useMemo, useRef, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { BacktestTradeView, Fill, Timeframe } from '../../../shared/domain';
import { TIMEFRAME_MS } from '../../../shared/domain';
import type { AutoscaleInfo } from 'lightweight-charts';
import { rangeWithLines } from './autoscale';
import { backtestMarkers } from '../backtest/backtest-trades';
import { fillMarkers } from './candle-bars';
import { applyTickSize, createCockpitChart, type CockpitChart } from './create-cockpit-chart';
import { DragHandles } from './DragHandles';
import { EdgeMarkers } from './EdgeMarkers';
import { PriceLineSet } from './price-line-set';
import type { TradeLine } from './trade-lines';
import { useLineDrag, type LineDragHandlers } from './use-line-drag';
import { useLiveCandles } from './use-live-candles';

/** Candles, volume, trade lines (draggable stops and take-profits) and fill markers for one symbol. */
export function CandleChart({
  api,
  symbol,
  timeframe,
  tickSize,
  lines,
  fills,
  mark,
  backtestTrades = [],
  drag: dragHandlers,
}: {
  api: CockpitApi;
  symbol: string | null;
  timeframe: Timeframe;
  tickSize: number;
  lines: readonly TradeLine[];
  fills: readonly Fill[];
  /** The symbol's mark now (the edge markers' distances). */
  mark: () => number | null;
  /** The Backtest view's latest trades, marked on their bars. */
  backtestTrades?: readonly BacktestTradeView[];
  drag: LineDragHandlers;
}) {
  const container = useRef<HTMLDivElement>(null);
  const [chart, setChart] = useState<CockpitChart | null>(null);
  const [priceLines, setPriceLines] = useState<PriceLineSet | null>(null);
  const scaledLines = useRef(lines);
  const fitted = useRef<ReadonlySet<string>>(new Set());
  const autoscale = (candlesOnly: () => AutoscaleInfo | null) => {
    const base = candlesOnly();
    const priceRange = rangeWithLines(base?.priceRange ?? null, scaledLines.current, fitted.current);
    return priceRange ? { ...base, priceRange } : base;
  };

  useEffect(() => {
    if (!container.current) return;
    const created = createCockpitChart(container.current);
    created.candles.applyOptions({ autoscaleInfoProvider: autoscale });
    setChart(created);
    setPriceLines(new PriceLineSet(created.candles));
    return () => {
      setChart(null);
      setPriceLines(null);
      created.chart.remove();
    };
  }, []);

  const history = useLiveCandles(api, chart, symbol, timeframe);
  const { drag, startDrag } = useLineDrag(container, chart, priceLines, lines, tickSize, dragHandlers);
  // The scale holds still during a drag, or the line would drift away from the pointer.
  if (!drag) scaledLines.current = lines;

  useEffect(() => {
    if (chart) applyTickSize(chart.candles, tickSize);
  }, [chart, tickSize]);

  useEffect(() => {
    fitted.current = new Set();
  }, [symbol]);

  /** From an edge marker: the price range takes the line in, scaling automatically again. */
  const fitLine = (key: string) => {
    if (!chart) return;
    fitted.current = new Set([...fitted.current, key]);
    chart.candles.priceScale().setAutoScale(true);
    chart.candles.applyOptions({ autoscaleInfoProvider: autoscale });
  };

  useEffect(() => {
    priceLines?.sync(drag ? lines.map((l) => (l.key === drag.key ? { ...l, price: drag.price } : l)) : lines);
  }, [priceLines, lines, drag]);

  const tested = useMemo(() => (symbol ? backtestMarkers(backtestTrades, symbol, TIMEFRAME_MS[timeframe]) : []), [backtestTrades, symbol, timeframe]);
  useEffect(() => {
    if (chart && symbol) chart.markers.setMarkers([...fillMarkers(fills, symbol, TIMEFRAME_MS[timeframe]), ...tested].sort((a, b) => a.time - b.time));
  }, [chart, fills, symbol, timeframe, tested]);

  return (
    <div className="chart-area">
      <div ref={container} className="chart-canvas" data-testid="chart" data-history={history.status} data-backtest-markers={tested.length} />
      <DragHandles chart={chart} lines={lines} drag={drag} tickSize={tickSize} onGrab={startDrag} />
      <EdgeMarkers chart={chart} lines={lines} mark={mark} tickSize={tickSize} onFit={fitLine} />
      {history.status === 'failed' && <div className="chart-overlay-message">Chart history unavailable: {history.message}</div>}
    </div>
  );
}
