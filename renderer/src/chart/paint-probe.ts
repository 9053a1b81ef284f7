import type { Candle } from '../../../shared/domain';

/** One bar the chart has drawn, and when (epoch ms, sub-millisecond). */
export interface PaintSample {
  symbol: string;
  candle: Candle;
  /** When the bar was handed to the chart (`series.update`). */
  updatedAt: number;
  paintedAt: number;
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
  requestAnimationFrame(() => probe({ symbol, candle, updatedAt, paintedAt: performance.timeOrigin + performance.now() }));
}
