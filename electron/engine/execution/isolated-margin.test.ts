import { describe, expect, it } from 'vitest';
import { isolatedMarginPreview } from '../../../shared/risk/isolated-margin';
import { TemporaryExchangeError } from '../exchange/errors';
import { openBtcLong, paperEngine } from '../testing/paper-engine';

const BTC = 'BTC/USDT:USDT';

async function openLong(marginMode: 'isolated' | 'cross' = 'isolated') {
  const h = await paperEngine({ settings: (s) => ({ ...s, risk: { ...s.risk, marginMode } }) });
  await openBtcLong(h);
  return h;
}

describe('adding and removing isolated margin', () => {
  it('adds margin: the exchange’s wallet grows, and its liquidation price moves away exactly as previewed', async () => {
    const h = await openLong();
    const before = h.engine.trading.book.positionViews()[0]!;
    const market = h.paper.market(BTC);
    const preview = isolatedMarginPreview({ formula: 'binanceusdm', position: before, tiers: market.tiers, change: 100 });
    if (!preview.ok) throw new Error(preview.reason);

    const result = await h.engine.handlers['position.margin']({ symbol: BTC, direction: 'add', amount: 100 });

    expect(result.moved).toBe(100);
    expect(result.position.isolatedWallet).toBeCloseTo(before.isolatedWallet + 100, 6);
    expect(result.position.liquidationPrice!).toBeLessThan(before.liquidationPrice!);
    expect(result.position.liquidationPrice!).toBeCloseTo(preview.liquidationPrice!, 6);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)!.isolatedWallet).toBeCloseTo(before.isolatedWallet + 100, 6);
    const types = h.journal().map((e) => e.type);
    expect(types.indexOf('margin.request')).toBeGreaterThan(-1);
    expect(types.indexOf('margin.request')).toBeLessThan(types.indexOf('margin.response'));
    expect(h.journal().find((e) => e.type === 'margin.request')?.data).toMatchObject({ symbol: BTC, direction: 'add', amount: 100, isolatedWallet: before.isolatedWallet });
  });

  it('removes margin: the liquidation price comes closer; more than the position can spare is the exchange’s refusal, journalled', async () => {
    const h = await openLong();
    await h.engine.handlers['position.margin']({ symbol: BTC, direction: 'add', amount: 50 });
    const before = h.engine.trading.book.positionViews()[0]!;
    const result = await h.engine.handlers['position.margin']({ symbol: BTC, direction: 'remove', amount: 20.129 });
    expect(result.moved).toBe(20.12);
    expect(result.position.liquidationPrice!).toBeGreaterThan(before.liquidationPrice!);

    await expect(h.engine.handlers['position.margin']({ symbol: BTC, direction: 'remove', amount: 10_000 })).rejects.toThrow(/Isolated balance insufficient/);
    expect(h.journal().filter((e) => e.type === 'margin.error')).toHaveLength(1);
  });

  it('refuses a cross position before anything is sent', async () => {
    const h = await openLong('cross');
    await expect(h.engine.handlers['position.margin']({ symbol: BTC, direction: 'add', amount: 50 })).rejects.toThrow(/cross position/);
    expect(h.journal().some((e) => e.type === 'margin.request')).toBe(false);
  });

  it('refuses a symbol without a position, and an amount under a cent', async () => {
    const h = await paperEngine();
    await h.engine.start();
    await expect(h.engine.handlers['position.margin']({ symbol: BTC, direction: 'add', amount: 50 })).rejects.toThrow(/no open position/);
    await expect(h.engine.handlers['position.margin']({ symbol: BTC, direction: 'add', amount: 0.004 })).rejects.toThrow(/at least 0.01 USDT/);
  });
});

describe('a margin change whose answer is lost', () => {
  it('is not sent again; the account is read afresh so the change the exchange made shows', async () => {
    let calls = 0;
    const h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        // No position updates pushed: only a REST read shows the change.
        subscribe: (subscription, listener) => paper.subscribe(subscription, (event) => event.type !== 'positions' && event.type !== 'balance' && listener(event)),
        modifyMargin: async (symbol, amount, direction) => {
          calls++;
          await paper.modifyMargin(symbol, amount, direction);
          throw new TemporaryExchangeError('socket hang up');
        },
      }),
    });
    await openBtcLong(h);
    const before = h.engine.trading.book.positionViews()[0]!.isolatedWallet;
    await expect(h.engine.handlers['position.margin']({ symbol: BTC, direction: 'add', amount: 40 })).rejects.toThrow(/no clear answer \(socket hang up\)\. It was not sent again/);
    expect(calls).toBe(1);
    expect(h.engine.trading.book.positionViews()[0]!.isolatedWallet).toBeCloseTo(before + 40, 6);
  });
});
