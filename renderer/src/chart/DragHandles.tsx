import { useEffect, useRef, type PointerEvent as ReactPointerEvent } from 'react';
import { formatPrice } from '../format/numbers';
import type { CockpitChart } from './create-cockpit-chart';
import type { DragState } from './use-line-drag';
import type { TradeLine } from './trade-lines';

/**
 * A grip on each draggable line, following it as the chart scrolls and
 * scales. Grabbing the grip (or the line itself) starts a drag.
 */
export function DragHandles({
  chart,
  lines,
  drag,
  tickSize,
  onGrab,
}: {
  chart: CockpitChart | null;
  lines: readonly TradeLine[];
  drag: DragState | null;
  tickSize: number;
  onGrab: (line: TradeLine, event: ReactPointerEvent) => void;
}) {
  const draggable = lines.filter((l) => l.drag);
  const nodes = useRef(new Map<string, HTMLElement>());
  const prices = useRef(new Map<string, number>());
  prices.current = new Map(draggable.map((l) => [l.key, drag?.key === l.key ? drag.price : l.price]));

  useEffect(() => {
    if (!chart || draggable.length === 0) return;
    let frame = 0;
    const place = () => {
      for (const [key, node] of nodes.current) {
        const price = prices.current.get(key);
        const y = price === undefined ? null : chart.candles.priceToCoordinate(price);
        const top = y === null ? '-100px' : `${Math.round(y)}px`;
        if (node.style.top !== top) node.style.top = top;
      }
      frame = requestAnimationFrame(place);
    };
    frame = requestAnimationFrame(place);
    return () => cancelAnimationFrame(frame);
  }, [chart, draggable.length]);

  return (
    <div className="drag-handles">
      {draggable.map((line) => {
        const price = drag?.key === line.key ? drag.price : line.price;
        const testId = line.preview ? 'drag-handle-proposal-stop' : line.kind === 'stop' ? 'drag-handle-stop' : 'drag-handle-take-profit';
        return (
          <div
            key={line.key}
            ref={(node) => {
              if (node) nodes.current.set(line.key, node);
              else nodes.current.delete(line.key);
            }}
            className={`drag-handle drag-${line.kind}${line.preview ? ' preview' : ''}${drag?.key === line.key ? ' dragging' : ''}`}
            data-testid={testId}
            data-price={price}
            title={`Drag to move the ${line.kind === 'stop' ? 'stop-loss' : 'take-profit'}`}
            onPointerDown={(event) => onGrab(line, event)}
          >
            ⇕ {line.title} {formatPrice(price, tickSize)}
            {drag?.key === line.key && drag.pending && ' …'}
          </div>
        );
      })}
    </div>
  );
}
