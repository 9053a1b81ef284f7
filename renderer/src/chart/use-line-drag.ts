import { useEffect, useRef, useState, type PointerEvent as ReactPointerEvent, type RefObject } from 'react';
import type { CockpitChart } from './create-cockpit-chart';
import { roundToTick } from '../../../shared/risk/precision';
import { findDragTarget } from './drag-target';
import type { PriceLineSet } from './price-line-set';
import type { TradeLine } from './trade-lines';

export interface LineDragHandlers {
  /** Called on every move while dragging (e.g. for a proposal's what-if). */
  onDragMove?: (line: TradeLine, price: number) => void;
  /** Called once on drop; resolves true when the engine accepted the move, false to snap the line back. */
  onDrop: (line: TradeLine, price: number) => Promise<boolean>;
  /** Called when a drag ends without a move (released where it started, or cancelled). */
  onDragCancel?: (line: TradeLine) => void;
}

export interface DragState {
  key: string;
  price: number;
  pending: boolean;
}

/**
 * Drags stop and take-profit lines: grab a line (or its handle), move it,
 * drop it to ask the engine. Maps pixels to price with the series' own scale.
 */
export function useLineDrag(
  container: RefObject<HTMLElement | null>,
  chart: CockpitChart | null,
  priceLines: PriceLineSet | null,
  lines: readonly TradeLine[],
  tickSize: number,
  handlers: LineDragHandlers,
): { drag: DragState | null; startDrag: (line: TradeLine, event: PointerEvent | ReactPointerEvent) => void } {
  const [drag, setDrag] = useState<DragState | null>(null);
  const latest = useRef({ lines, tickSize, handlers });
  latest.current = { lines, tickSize, handlers };
  const active = useRef<{ line: TradeLine; price: number; pointerId: number } | null>(null);
  const dropping = useRef(false);

  const priceAt = (clientY: number): number | null => {
    const box = container.current?.getBoundingClientRect();
    if (!box || !chart) return null;
    const raw = chart.candles.coordinateToPrice(clientY - box.top);
    return raw === null || !(raw > 0) ? null : roundToTick(raw, latest.current.tickSize);
  };

  const startDrag = (line: TradeLine, event: PointerEvent | ReactPointerEvent) => {
    if (!chart || active.current || dropping.current || event.button !== 0) return;
    event.preventDefault();
    event.stopPropagation();
    chart.chart.applyOptions({ handleScroll: false, handleScale: false });
    active.current = { line, price: line.price, pointerId: event.pointerId };
    setDrag({ key: line.key, price: line.price, pending: false });
  };

  useEffect(() => {
    const element = container.current;
    if (!element || !chart) return;

    const onPointerDown = (event: PointerEvent) => {
      const box = element.getBoundingClientRect();
      const target = findDragTarget(latest.current.lines, event.clientY - box.top, (p) => chart.candles.priceToCoordinate(p));
      if (target) startDrag(target, event);
    };
    const onHover = (event: PointerEvent) => {
      if (active.current) return;
      const box = element.getBoundingClientRect();
      const target = findDragTarget(latest.current.lines, event.clientY - box.top, (p) => chart.candles.priceToCoordinate(p));
      element.classList.toggle('grab-line', target !== null);
    };
    const onMove = (event: PointerEvent) => {
      const current = active.current;
      if (!current || event.pointerId !== current.pointerId) return;
      const price = priceAt(event.clientY);
      if (price === null || price === current.price) return;
      current.price = price;
      priceLines?.move(current.line.key, price);
      setDrag({ key: current.line.key, price, pending: false });
      latest.current.handlers.onDragMove?.(current.line, price);
    };
    const finish = (event: PointerEvent, cancelled: boolean) => {
      const current = active.current;
      if (!current || event.pointerId !== current.pointerId) return;
      active.current = null;
      chart.chart.applyOptions({ handleScroll: true, handleScale: true });
      const { line, price } = current;
      if (cancelled || price === line.price) {
        priceLines?.move(line.key, line.price);
        setDrag(null);
        latest.current.handlers.onDragCancel?.(line);
        return;
      }
      setDrag({ key: line.key, price, pending: true });
      dropping.current = true;
      void latest.current.handlers
        .onDrop(line, price)
        .catch(() => false)
        .then((accepted) => {
          dropping.current = false;
          if (!accepted) priceLines?.sync(latest.current.lines);
          setDrag(null);
        });
    };
    const onUp = (event: PointerEvent) => finish(event, false);
    const onCancel = (event: PointerEvent) => finish(event, true);
    const onMouseDown = (event: MouseEvent) => {
      if (active.current) event.stopPropagation();
    };

    element.addEventListener('pointerdown', onPointerDown, { capture: true });
    element.addEventListener('pointermove', onHover);
    element.addEventListener('mousedown', onMouseDown, { capture: true });
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onCancel);
    return () => {
      element.removeEventListener('pointerdown', onPointerDown, { capture: true });
      element.removeEventListener('pointermove', onHover);
      element.removeEventListener('mousedown', onMouseDown, { capture: true });
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onCancel);
    };
  }, [container, chart, priceLines]);

  return { drag, startDrag };
}
