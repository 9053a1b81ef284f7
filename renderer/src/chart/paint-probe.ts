import type { Candle } from '../../../shared/domain';
import { currentArrival } from '../transport/arrival-probe';

/** One bar the chart has drawn, and when (epoch ms, sub-millisecond). */
export interface PaintSample {
  symbol: string;
  candle: Candle;
  /** When the message carrying the bar reached the renderer, and the frame counter then. */
  arrivedAt: number;
  arrivalFrame: number;
  /** When the bar was handed to the chart (`series.update`). */
  updatedAt: number;
  paintedAt: number;
  /** The frame counter when it was drawn: `arrivalFrame + 1` when drawn in the first frame after its arrival. */
  paintedFrame: number;
}

declare global {
  interface Window {
    /** Installed only by the tick-to-paint benchmark (an init script); absent in normal use. */
    __cockpitPaintProbe?: (sample: PaintSample) => void;
  }
}

/**
 * Tells the benchmark when a live bar has been drawn. The chart paints in its
 * own animation-frame callback, queued by `series.update`; a callback queued
 * after it runs once that frame's drawing is done.
 */
export function reportPaint(symbol: string, candle: Candle): void {
  const probe = window.__cockpitPaintProbe;
  if (!probe) return;
  const updatedAt = performance.timeOrigin + performance.now();
  const arrival = currentArrival();
  requestAnimationFrame(() =>
    probe({ symbol, candle, arrivedAt: arrival.at, arrivalFrame: arrival.frame, updatedAt, paintedAt: performance.timeOrigin + performance.now(), paintedFrame: window.__cockpitFrame ?? 0 }),
  );
}
