import { useEffect, useRef, useState } from 'react';
import { formatPct, formatPrice } from '../format/numbers';
import type { CockpitChart } from './create-cockpit-chart';
import { edgeMarkers, markersSignature, type EdgeMarker, type VisiblePrices } from './edge-markers';
import type { TradeLine } from './trade-lines';

const KIND_LABEL = { entry: 'Entry', stop: 'Stop', 'take-profit': 'Take-profit', liquidation: 'Liquidation' } as const;

/** The prices the candle pane shows now, or null before it has drawn. */
function visiblePrices(chart: CockpitChart): VisiblePrices | null {
  const height = chart.chart.paneSize(0).height;
  if (!(height > 0)) return null;
  const top = chart.candles.coordinateToPrice(0);
  const bottom = chart.candles.coordinateToPrice(height);
  return top === null || bottom === null ? null : { low: Math.min(top, bottom), high: Math.max(top, bottom) };
}

/**
 * A marker at the chart's top or bottom edge for each stop, take-profit and liquidation line outside
 * the visible prices: its label, price and distance from mark, pointing the way. Clicking one fits the
 * price range to take the line in.
 */
export function EdgeMarkers({
  chart,
  lines,
  mark,
  tickSize,
  onFit,
}: {
  chart: CockpitChart | null;
  lines: readonly TradeLine[];
  mark: () => number | null;
  tickSize: number;
  onFit: (key: string) => void;
}) {
  const [markers, setMarkers] = useState<EdgeMarker[]>([]);
  const latest = useRef({ lines, mark });
  latest.current = { lines, mark };

  useEffect(() => {
    if (!chart) return;
    let frame = 0;
    let shown = '';
    const look = () => {
      const found = edgeMarkers(latest.current.lines, visiblePrices(chart), latest.current.mark());
      const signature = markersSignature(found);
      if (signature !== shown) {
        shown = signature;
        setMarkers(found);
      }
      frame = requestAnimationFrame(look);
    };
    frame = requestAnimationFrame(look);
    return () => cancelAnimationFrame(frame);
  }, [chart]);

  return (
    <>
      {(['above', 'below'] as const).map((edge) => {
        const here = markers.filter((m) => m.edge === edge);
        if (here.length === 0) return null;
        return (
          <div key={edge} className={`edge-markers edge-${edge}`}>
            {here.map((m) => (
              <button
                key={m.key}
                type="button"
                className={`edge-marker edge-marker-${m.kind}${m.preview ? ' preview' : ''}`}
                data-testid={`edge-marker-${m.kind}`}
                data-edge={edge}
                data-price={m.price}
                title={`${m.preview ? 'Proposal ' : ''}${KIND_LABEL[m.kind]} is out of view: click to fit the chart to it`}
                onClick={() => onFit(m.key)}
              >
                {edge === 'above' ? '▲' : '▼'} {m.title} {formatPrice(m.price, tickSize)} <span className="num">({formatPct(m.distancePct, { signed: true })})</span>
              </button>
            ))}
          </div>
        );
      })}
    </>
  );
}
