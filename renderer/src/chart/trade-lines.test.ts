import { describe, expect, it } from 'vitest';
import { aPosition, aProposal, anOrder } from '../fixtures/domain-fixtures';
import { buildTradeLines, protectiveOrders } from './trade-lines';

const symbol = 'BTC/USDT:USDT';

describe('buildTradeLines', () => {
  it('draws entry, each stop, each take-profit and liquidation of the open position', () => {
    const lines = buildTradeLines({
      symbol,
      positions: [aPosition()],
      orders: [
        anOrder({ id: 's1', triggerPrice: 58_800 }),
        anOrder({ id: 't1', type: 'take_profit_market', purpose: 'take-profit', triggerPrice: 62_400 }),
        anOrder({ id: 't2', type: 'take_profit_market', purpose: 'take-profit', triggerPrice: 63_000 }),
      ],
      preview: null,
    });
    expect(lines.map((l) => [l.testId, l.title, l.price])).toEqual([
      ['line-entry', 'ENTRY', 60_000],
      ['line-stop', 'SL', 58_800],
      ['line-take-profit', 'TP', 62_400],
      ['line-take-profit', 'TP', 63_000],
      ['line-liquidation', 'LIQ', 48_300],
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length);
  });

  it('lets only stops and take-profits be dragged, and says which order moves', () => {
    const lines = buildTradeLines({
      symbol,
      positions: [aPosition()],
      orders: [anOrder()],
      preview: null,
    });
    expect(lines.find((l) => l.kind === 'stop')?.drag).toEqual({ type: 'order', purpose: 'stop', symbol });
    expect(lines.find((l) => l.kind === 'entry')?.drag).toBeNull();
    expect(lines.find((l) => l.kind === 'liquidation')?.drag).toBeNull();
  });

  it('ignores other symbols, filled or cancelled orders, and entry orders', () => {
    const lines = buildTradeLines({
      symbol,
      positions: [aPosition(), aPosition({ symbol: 'ETH/USDT:USDT', entryPrice: 3000 })],
      orders: [
        anOrder({ id: 'a', status: 'canceled' }),
        anOrder({ id: 'b', status: 'filled' }),
        anOrder({ id: 'c', symbol: 'ETH/USDT:USDT' }),
        anOrder({ id: 'd', type: 'limit', purpose: 'entry', reduceOnly: false, price: 59_000, triggerPrice: null }),
      ],
      preview: null,
    });
    expect(lines.map((l) => l.testId)).toEqual(['line-entry', 'line-liquidation']);
  });

  it('draws no liquidation line when the position has no liquidation price', () => {
    const lines = buildTradeLines({ symbol, positions: [aPosition({ liquidationPrice: null })], orders: [], preview: null });
    expect(lines.map((l) => l.kind)).toEqual(['entry']);
  });

  it("draws a selected proposal's preview dashed, with its stop draggable", () => {
    const lines = buildTradeLines({ symbol, positions: [], orders: [], preview: { proposal: aProposal() } });
    expect(lines.map((l) => [l.testId, l.title, l.price, l.preview])).toEqual([
      ['line-proposal-entry', 'P·ENTRY', 60_000, true],
      ['line-proposal-stop', 'P·SL', 58_800, true],
      ['line-proposal-take-profit', 'P·TP', 62_400, true],
      ['line-proposal-liquidation', 'P·LIQ', 48_300, true],
    ]);
    expect(lines[1]?.drag).toEqual({ type: 'proposal-stop', proposalId: 'p-1' });
  });

  it('shows the what-if stop, quantity and liquidation while a proposal stop is dragged', () => {
    const lines = buildTradeLines({
      symbol,
      positions: [],
      orders: [],
      preview: { proposal: aProposal(), override: { stop: 59_400, quantity: 0.166, liquidationPrice: null } },
    });
    expect(lines.find((l) => l.kind === 'stop')?.price).toBe(59_400);
    expect(lines.every((l) => l.quantity === 0.166)).toBe(true);
    expect(lines.some((l) => l.kind === 'liquidation')).toBe(false);
  });

  it("does not draw another symbol's proposal", () => {
    const lines = buildTradeLines({ symbol, positions: [], orders: [], preview: { proposal: aProposal({ symbol: 'ETH/USDT:USDT' }) } });
    expect(lines).toEqual([]);
  });
});

describe('protectiveOrders', () => {
  it('recognises untagged reduce-only trigger orders found on the exchange', () => {
    const found = protectiveOrders(
      [
        anOrder({ id: 'x', purpose: 'other', type: 'stop_market', reduceOnly: false, closePosition: true, triggerPrice: 57_000 }),
        anOrder({ id: 'y', purpose: 'other', type: 'take_profit_market', reduceOnly: true, triggerPrice: 65_000 }),
        anOrder({ id: 'z', purpose: 'other', type: 'stop_market', reduceOnly: false, closePosition: false }),
      ],
      symbol,
    );
    expect(found.map((f) => [f.order.id, f.purpose, f.price])).toEqual([
      ['x', 'stop', 57_000],
      ['y', 'take-profit', 65_000],
    ]);
  });
});
