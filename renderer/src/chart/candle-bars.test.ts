import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../shared/domain';
import { fillMarkers, normaliseHistory, toCandleBar, toVolumeBar } from './candle-bars';

const candle = (time: number, open = 1, close = 2) => ({ time, open, high: 3, low: 0.5, close, volume: 10 });

describe('candle bars', () => {
  it('converts engine milliseconds to chart seconds', () => {
    expect(toCandleBar(candle(1_700_000_060_000))).toEqual({ time: 1_700_000_060, open: 1, high: 3, low: 0.5, close: 2 });
  });

  it('colours volume by the bar direction', () => {
    expect(toVolumeBar(candle(0, 1, 2)).color).not.toBe(toVolumeBar(candle(0, 2, 1)).color);
  });

  it('sorts history and keeps one bar per time, the last received', () => {
    const history = normaliseHistory([candle(120_000), candle(60_000, 1, 1), candle(60_000, 1, 5)]);
    expect(history.map((c) => [c.time, c.close])).toEqual([
      [60_000, 5],
      [120_000, 2],
    ]);
  });
});

describe('fillMarkers', () => {
  const fill = (over: Partial<Fill>): Fill => ({
    orderId: 'o',
    clientOrderId: 'c',
    symbol: 'BTC/USDT:USDT',
    side: 'buy',
    price: 100,
    amount: 0.5,
    fee: 0,
    realizedPnl: 0,
    time: 0,
    ...over,
  });

  it("places each of the symbol's fills on its bar, buys below and sells above, in time order", () => {
    const markers = fillMarkers(
      [fill({ side: 'sell', time: 185_000 }), fill({ time: 61_000 }), fill({ symbol: 'ETH/USDT:USDT', time: 1 })],
      'BTC/USDT:USDT',
      60_000,
    );
    expect(markers.map((m) => [m.time, m.position, m.shape])).toEqual([
      [60, 'belowBar', 'arrowUp'],
      [180, 'aboveBar', 'arrowDown'],
    ]);
  });
});
