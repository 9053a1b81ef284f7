import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { OrderRejectedError } from '../exchange/errors';
import { paperEngine } from '../testing/paper-engine';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const BTC = 'BTC/USDT:USDT';

async function openLong(harness: Harness) {
  await harness.engine.start();
  const proposal = await harness.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
  await harness.engine.handlers['proposal.approve']({ id: proposal.id });
  return proposal;
}

const workingStops = (harness: Harness) =>
  harness.paper.sim
    .openOrders(BTC, 'all')
    .filter((o) => o.type === 'STOP_MARKET')
    .map((o) => [o.clientOrderId, o.stopPrice]);

describe('moving a stop after the old one was cancelled on the exchange', () => {
  it('never reuses the client id of a dead stop, so the new stop really works', async () => {
    h = await paperEngine();
    const proposal = await openLong(h);
    h.paper.sim.cancelOrder(BTC, { clientOrderId: `ck-${proposal.id}-sl-1` });

    const first: Order = await h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: 59_000 });
    expect(first).toMatchObject({ status: 'open', triggerPrice: 59_000 });
    expect(workingStops(h)).toEqual([[`ck-${proposal.id}-sl-2`, 59_000]]);

    h.paper.sim.cancelOrder(BTC, { clientOrderId: `ck-${proposal.id}-sl-2` });
    const second: Order = await h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: 59_200 });
    expect(second).toMatchObject({ status: 'open', triggerPrice: 59_200 });
    expect(workingStops(h)).toEqual([[`ck-${proposal.id}-sl-3`, 59_200]]);
    expect(h.engine.trading.book.positionViews()[0]?.stopPrice).toBe(59_200);
  });

  it('does the same for the take-profit', async () => {
    h = await paperEngine();
    const proposal = await openLong(h);
    h.paper.sim.cancelOrder(BTC, { clientOrderId: `ck-${proposal.id}-tp-1` });
    const moved: Order = await h.engine.handlers['order.move']({ symbol: BTC, purpose: 'take-profit', price: 63_000 });
    expect(moved).toMatchObject({ status: 'open', triggerPrice: 63_000, clientOrderId: `ck-${proposal.id}-tp-2` });
    expect(h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'TAKE_PROFIT_MARKET').map((o) => o.stopPrice)).toEqual([63_000]);
  });
});

describe('moving a stop when the exchange refuses to cancel the old one', () => {
  it('keeps the new stop and warns that the old one is still there', async () => {
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        cancelOrder: async () => {
          throw new OrderRejectedError('Cancel rejected', '-2011x');
        },
      }),
    });
    const proposal = await openLong(h);
    await h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: 59_000 });
    expect(workingStops(h)).toEqual(
      expect.arrayContaining([
        [`ck-${proposal.id}-sl-1`, 58_800],
        [`ck-${proposal.id}-sl-2`, 59_000],
      ]),
    );
    const warnings = h.events.filter((e) => e.event === 'notification').map((e) => (e.payload as { title: string }).title);
    expect(warnings).toContain(`Old stop still on ${BTC}`);
  });
});
