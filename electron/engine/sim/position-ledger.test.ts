import { describe, expect, it } from 'vitest';
import { applyTrade, FLAT } from './position-ledger';

const toStep = (q: number) => Number(q.toFixed(3));

describe('one-way position ledger', () => {
  it('averages the entry price when adding', () => {
    const first = applyTrade(FLAT, 0.1, 100, toStep);
    const second = applyTrade(first.holding, 0.3, 200, toStep);
    expect(second).toEqual({ holding: { amt: 0.4, entryPrice: 175 }, realizedPnl: 0, closed: 0, opened: 0.3 });
  });

  it('realises PnL on the closed part and keeps the entry of what remains', () => {
    const outcome = applyTrade({ amt: -0.4, entryPrice: 200 }, 0.1, 150, toStep);
    expect(outcome).toEqual({ holding: { amt: -0.3, entryPrice: 200 }, realizedPnl: 5, closed: 0.1, opened: 0 });
  });

  it('flips into a new position at the trade price', () => {
    const outcome = applyTrade({ amt: 0.1, entryPrice: 100 }, -0.3, 90, toStep);
    expect(outcome).toEqual({ holding: { amt: -0.2, entryPrice: 90 }, realizedPnl: -1, closed: 0.1, opened: 0.2 });
  });

  it('goes flat exactly, without float dust', () => {
    const outcome = applyTrade({ amt: 0.3, entryPrice: 100 }, -(0.1 + 0.2), 100, toStep);
    expect(outcome.holding).toEqual(FLAT);
  });
});
