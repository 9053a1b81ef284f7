import type { Candle } from '../../../shared/domain';

/** A one-minute bar `i` closing at `close`, with a high and low `range` either side. */
export function bar(i: number, close: number, range = 0.004): Candle {
  return { time: i * 60_000, open: close, high: close * (1 + range), low: close * (1 - range), close, volume: 1 };
}

/** A zig-zag climb, then a sharp three-bar dip: the textbook long pullback (RSI under 35 on the third bar). */
export function upTrendWithDip(): Candle[] {
  const bars: Candle[] = [];
  let price = 100;
  for (let i = 0; i < 60; i++) bars.push(bar(i, (price *= i % 2 ? 0.996 : 1.012)));
  for (let i = 60; i < 63; i++) bars.push(bar(i, (price *= 0.965)));
  return bars;
}

/** A zig-zag climb (+1.2%, −0.4%) with no dip: a strong trend (ADX near 50), price above its SMA50 once warm. */
export function zigZagClimb(bars = 80): Candle[] {
  let price = 100;
  return Array.from({ length: bars }, (_, i) => bar(i, (price *= i % 2 ? 0.996 : 1.012)));
}
