import { distancePct } from '../legend/distance';
import type { TradeLine, TradeLineKind } from './trade-lines';

/** The lines that get a marker at the chart's edge when they lie outside its visible prices. */
const WATCHED: ReadonlySet<TradeLineKind> = new Set(['stop', 'take-profit', 'liquidation']);

/** The prices the chart shows, bottom to top. */
export interface VisiblePrices {
  low: number;
  high: number;
}

/** A line out of view: at which edge its marker sits, and its distance from mark (percent, signed). */
export interface EdgeMarker {
  key: string;
  kind: TradeLineKind;
  title: string;
  preview: boolean;
  price: number;
  edge: 'above' | 'below';
  distancePct: number | null;
}

/** The stop, take-profit and liquidation lines above or below the visible prices, each with its edge. */
export function edgeMarkers(lines: readonly TradeLine[], visible: VisiblePrices | null, mark: number | null): EdgeMarker[] {
  if (!visible || !(visible.high > visible.low)) return [];
  const markers: EdgeMarker[] = [];
  for (const line of lines) {
    if (!WATCHED.has(line.kind)) continue;
    const edge = line.price > visible.high ? 'above' : line.price < visible.low ? 'below' : null;
    if (!edge) continue;
    markers.push({ key: line.key, kind: line.kind, title: line.title, preview: line.preview, price: line.price, edge, distancePct: mark === null ? null : distancePct(line.price, mark) });
  }
  return markers;
}

/** Which edge's markers are shown, and what they say: a signature that changes only when what is drawn would. */
export function markersSignature(markers: readonly EdgeMarker[]): string {
  return markers.map((m) => `${m.key}|${m.edge}|${m.price}|${m.distancePct === null ? '' : m.distancePct.toFixed(2)}`).join(';');
}
