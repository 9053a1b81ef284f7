/** When the newest engine message reached the renderer, and in which animation frame (bench only). */
export interface Arrival {
  /** Epoch ms, sub-millisecond. */
  at: number;
  /** The frame counter the benchmark keeps (`window.__cockpitFrame`) when the message arrived. */
  frame: number;
}

declare global {
  interface Window {
    /** Counted up once per animation frame by the tick-to-paint benchmark's init script; absent in normal use. */
    __cockpitFrame?: number;
  }
}

let latest: Arrival = { at: 0, frame: 0 };

/** Stamps a message's arrival, when the benchmark counts frames; does nothing in normal use. */
export function markArrival(): void {
  const frame = (globalThis as { __cockpitFrame?: number }).__cockpitFrame;
  if (frame === undefined) return;
  latest = { at: performance.timeOrigin + performance.now(), frame };
}

/** The arrival of the message being handled (messages are handled one at a time, synchronously). */
export function currentArrival(): Arrival {
  return latest;
}
