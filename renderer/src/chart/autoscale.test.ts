import { describe, expect, it } from 'vitest';
import { buildTradeLines } from './trade-lines';
import { rangeWithLines } from './autoscale';
import { aPosition, anOrder } from '../fixtures/domain-fixtures';

const lines = buildTradeLines({
  symbol: 'BTC/USDT:USDT',
  positions: [aPosition({ entryPrice: 60_000, liquidationPrice: 48_000 })],
  orders: [anOrder({ triggerPrice: 58_800 }), anOrder({ id: 't', type: 'take_profit_market', purpose: 'take-profit', triggerPrice: 62_400 })],
  preview: null,
});

describe('rangeWithLines', () => {
  it('widens the candle range to show the stop and the take-profit, but not the liquidation', () => {
    expect(rangeWithLines({ minValue: 59_500, maxValue: 60_500 }, lines)).toEqual({ minValue: 58_800, maxValue: 62_400 });
  });

  it('takes in the liquidation once the user asked to see it from its edge marker', () => {
    expect(rangeWithLines({ minValue: 59_500, maxValue: 60_500 }, lines, new Set(['liquidation']))).toEqual({ minValue: 48_000, maxValue: 62_400 });
  });

  it('keeps the candle range when it already holds every line', () => {
    expect(rangeWithLines({ minValue: 50_000, maxValue: 70_000 }, lines)).toEqual({ minValue: 50_000, maxValue: 70_000 });
  });

  it('leaves the range alone with no lines, and spans the lines with no candles', () => {
    expect(rangeWithLines(null, [])).toBeNull();
    expect(rangeWithLines(null, lines)).toEqual({ minValue: 58_800, maxValue: 62_400 });
  });
});
