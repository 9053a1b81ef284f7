import { describe, expect, it } from 'vitest';
import type { Position } from '../../../shared/domain';
import { aPosition } from '../fixtures/domain-fixtures';
import { BTC_MARKET } from '../../../shared/risk/market.fixture';
import { marginFormPreview } from './margin-form';

/** 0.1 BTC long at 60,000, 10x isolated, 600 USDT of margin, mark at entry. */
const position = aPosition({ contracts: 0.1, markPrice: 60_000, notional: 6_000, unrealizedPnl: 0, leverage: 10, liquidationPrice: 54_240, distanceToLiquidationPct: 9.6 });
const form = (direction: 'add' | 'remove', amountText: string, over: Partial<Position> = {}) =>
  marginFormPreview({ position: { ...position, ...over }, market: BTC_MARKET, formula: 'binanceusdm', direction, amountText });

describe('the margin form’s preview', () => {
  it('shows the liquidation price moving away when margin is added, and the amount it will send', () => {
    const preview = form('add', ' 100 ');
    expect(preview).toMatchObject({ ok: true, amount: 100, walletBalance: 700 });
    if (!preview.ok) throw new Error('expected a preview');
    const barely = form('add', '0.01');
    if (!barely.ok) throw new Error('expected a preview');
    expect(preview.liquidationPrice!).toBeLessThan(barely.liquidationPrice!);
    expect(preview.distanceToLiquidationPct!).toBeGreaterThan(barely.distanceToLiquidationPct!);
  });

  it('refuses an empty, zero or unreadable amount, a cross position and more than the position can spare', () => {
    for (const text of ['', '0', '-5', 'abc']) expect(form('add', text)).toEqual({ ok: false, reason: expect.stringContaining('above zero') });
    expect(form('add', '10', { marginMode: 'cross' })).toEqual({ ok: false, reason: expect.stringContaining('cross position') });
    expect(form('remove', '1')).toEqual({ ok: false, reason: expect.stringContaining('At most 0.00 USDT can be removed') });
  });

  it('waits for the market', () => {
    expect(marginFormPreview({ position, market: undefined, formula: 'binanceusdm', direction: 'add', amountText: '10' })).toEqual({ ok: false, reason: expect.stringContaining('has not loaded') });
  });
});
