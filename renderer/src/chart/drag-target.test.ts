import { describe, expect, it } from 'vitest';
import type { TradeLine } from './trade-lines';
import { findDragTarget } from './drag-target';

const line = (over: Partial<TradeLine>): TradeLine => ({
  key: 'k',
  kind: 'stop',
  preview: false,
  testId: 'line-stop',
  title: 'SL',
  price: 100,
  quantity: 1,
  side: 'long',
  drag: { type: 'order', purpose: 'stop', symbol: 'BTC/USDT:USDT' },
  ...over,
});

const priceToY = (price: number) => 1000 - price * 5;

describe('findDragTarget', () => {
  it('grabs the draggable line under the pointer', () => {
    const stop = line({ key: 'stop', price: 100 });
    expect(findDragTarget([stop], 503, priceToY)).toBe(stop);
  });

  it('grabs nothing outside the tolerance', () => {
    expect(findDragTarget([line({ price: 100 })], 510, priceToY)).toBeNull();
  });

  it('never grabs entry or liquidation lines', () => {
    expect(findDragTarget([line({ kind: 'entry', drag: null, price: 100 })], 500, priceToY)).toBeNull();
  });

  it('picks the nearest of two close lines', () => {
    const a = line({ key: 'a', price: 100 });
    const b = line({ key: 'b', price: 100.8 });
    expect(findDragTarget([a, b], 497, priceToY)).toBe(b);
  });

  it('skips lines that are off the visible scale', () => {
    expect(findDragTarget([line({ price: 100 })], 500, () => null)).toBeNull();
  });
});
