import { describe, expect, it } from 'vitest';
import { edgeMarkers, markersSignature } from './edge-markers';
import type { TradeLine, TradeLineKind } from './trade-lines';

const line = (kind: TradeLineKind, price: number, preview = false): TradeLine => ({
  key: `${preview ? 'proposal-' : ''}${kind}`,
  kind,
  preview,
  testId: `line-${kind}`,
  title: kind === 'liquidation' ? 'LIQ' : kind === 'stop' ? 'SL' : kind === 'take-profit' ? 'TP' : 'ENTRY',
  price,
  quantity: 0.1,
  side: 'long',
  drag: null,
});

describe('markers at the chart’s edge for lines out of view', () => {
  const visible = { low: 59_000, high: 61_000 };

  it('puts a liquidation below the visible prices at the bottom edge, with its distance from mark', () => {
    expect(edgeMarkers([line('liquidation', 48_000)], visible, 60_000)).toEqual([
      { key: 'liquidation', kind: 'liquidation', title: 'LIQ', preview: false, price: 48_000, edge: 'below', distancePct: -20 },
    ]);
  });

  it('puts a take-profit above them at the top edge, and leaves lines in view and the entry alone', () => {
    const markers = edgeMarkers([line('entry', 70_000), line('stop', 59_500), line('take-profit', 66_000), line('stop', 58_000, true)], visible, 60_000);
    expect(markers.map((m) => [m.key, m.edge, m.preview])).toEqual([
      ['take-profit', 'above', false],
      ['proposal-stop', 'below', true],
    ]);
  });

  it('has no distance without a mark, and no markers before the chart has a range', () => {
    expect(edgeMarkers([line('liquidation', 48_000)], visible, null)[0]?.distancePct).toBeNull();
    expect(edgeMarkers([line('liquidation', 48_000)], null, 60_000)).toEqual([]);
    expect(edgeMarkers([line('liquidation', 48_000)], { low: 5, high: 5 }, 60_000)).toEqual([]);
  });

  it('changes its signature only when a marker, its edge or its shown distance changes', () => {
    const at = (mark: number) => markersSignature(edgeMarkers([line('liquidation', 48_000)], visible, mark));
    expect(at(60_000)).toBe(at(60_000.001));
    expect(at(60_000)).not.toBe(at(60_500));
    expect(markersSignature([])).toBe('');
  });
});
