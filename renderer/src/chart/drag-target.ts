import type { TradeLine } from './trade-lines';

/** How close, in pixels, a pointer must be to a line to grab it. */
export const GRAB_TOLERANCE_PX = 6;

/** The draggable line nearest to `y`, if one lies within the tolerance. */
export function findDragTarget(
  lines: readonly TradeLine[],
  y: number,
  priceToY: (price: number) => number | null,
  tolerancePx = GRAB_TOLERANCE_PX,
): TradeLine | null {
  let best: TradeLine | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    if (!line.drag) continue;
    const lineY = priceToY(line.price);
    if (lineY === null) continue;
    const distance = Math.abs(lineY - y);
    if (distance <= tolerancePx && distance < bestDistance) {
      best = line;
      bestDistance = distance;
    }
  }
  return best;
}
