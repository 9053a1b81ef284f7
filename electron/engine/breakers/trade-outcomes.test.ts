import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../shared/domain';
import { TradeOutcomes } from './trade-outcomes';

const fill = (overrides: Partial<Fill>): Fill => ({
  orderId: '1',
  clientOrderId: 'c',
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  price: 60_000,
  amount: 0.1,
  fee: 2,
  realizedPnl: 0,
  time: 1_000,
  ...overrides,
});

describe('trade outcomes from fills and positions', () => {
  it('a close reported by positions after its fill ends the trade, net of entry and exit fees', () => {
    const outcomes = new TradeOutcomes();
    outcomes.onPositions([]);
    expect(outcomes.onFill(fill({ fee: 2 }))).toBeNull();
    outcomes.onPositions(['BTC/USDT:USDT']);
    expect(outcomes.onFill(fill({ side: 'sell', fee: 2, realizedPnl: -30, time: 5_000 }))).toBeNull();
    expect(outcomes.onPositions([])).toEqual([{ symbol: 'BTC/USDT:USDT', netPnl: -34, closedAt: 5_000 }]);
  });

  it('a closing fill that arrives after positions already show flat ends the trade', () => {
    const outcomes = new TradeOutcomes();
    outcomes.onPositions(['BTC/USDT:USDT']);
    outcomes.onFill(fill({ fee: 1 }));
    expect(outcomes.onPositions([])).toEqual([]);
    expect(outcomes.onFill(fill({ side: 'sell', fee: 1, realizedPnl: 50, time: 9_000 }))).toEqual({ symbol: 'BTC/USDT:USDT', netPnl: 48, closedAt: 9_000 });
  });

  it('a partial close does not end the trade', () => {
    const outcomes = new TradeOutcomes();
    outcomes.onPositions(['BTC/USDT:USDT']);
    expect(outcomes.onFill(fill({ realizedPnl: -10, fee: 0 }))).toBeNull();
    expect(outcomes.onPositions(['BTC/USDT:USDT'])).toEqual([]);
    expect(outcomes.onFill(fill({ realizedPnl: -10, fee: 0, time: 2_000 }))).toBeNull();
    expect(outcomes.onPositions([])).toEqual([{ symbol: 'BTC/USDT:USDT', netPnl: -20, closedAt: 2_000 }]);
  });
});

describe('a close that fills in parts', () => {
  it('is one trade when its parts arrive after positions already show flat', () => {
    const outcomes = new TradeOutcomes();
    outcomes.onPositions(['BTC/USDT:USDT']);
    outcomes.onFill(fill({ orderId: 'entry', fee: 1 }));
    expect(outcomes.onPositions([])).toEqual([]);
    const parts = [1, 2, 3].map((i) => outcomes.onFill(fill({ orderId: 'close', side: 'sell', fee: 0, realizedPnl: -10, time: 9_000 + i })));
    expect(parts.filter((p) => p !== null)).toEqual([{ symbol: 'BTC/USDT:USDT', netPnl: -11, closedAt: 9_001 }]);
  });

  it('counts one loss, not three, in the consecutive-loss streak', () => {
    const outcomes = new TradeOutcomes();
    outcomes.onPositions(['ETH/USDT:USDT']);
    outcomes.onFill(fill({ symbol: 'ETH/USDT:USDT', orderId: 'e1' }));
    outcomes.onPositions([]);
    const ended = ['a', 'b', 'c'].map((_, i) => outcomes.onFill(fill({ symbol: 'ETH/USDT:USDT', orderId: 'x1', realizedPnl: -5, time: 2_000 + i }))).filter(Boolean);
    expect(ended).toHaveLength(1);
    outcomes.onPositions(['ETH/USDT:USDT']);
    outcomes.onFill(fill({ symbol: 'ETH/USDT:USDT', orderId: 'e2' }));
    outcomes.onPositions([]);
    expect(outcomes.onFill(fill({ symbol: 'ETH/USDT:USDT', orderId: 'x2', realizedPnl: -5, time: 3_000 }))).toMatchObject({ netPnl: -9 });
  });
});
