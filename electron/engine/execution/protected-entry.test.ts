import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import { paperEngine } from '../testing/paper-engine';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

const BTC = 'BTC/USDT:USDT';
const isEntry = (clientOrderId: string) => /-e-\d+$/.test(clientOrderId);

describe('an entry the exchange still reports as working after the fill checks', () => {
  it('is cancelled and read once more, and whatever filled gets its stop-loss', async () => {
    let slowLookups = 5;
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        // Binance answers a market order with NEW and nothing filled (newOrderRespType ACK); the fill shows up later.
        createOrder: async (request) => {
          const order = await paper.createOrder(request);
          return isEntry(request.clientOrderId) ? { ...order, status: 'open', filled: 0, averagePrice: null } : order;
        },
        fetchOrderByClientId: async (symbol, clientOrderId) => {
          const order = await paper.fetchOrderByClientId(symbol, clientOrderId);
          if (order && isEntry(clientOrderId) && slowLookups-- > 0) return { ...order, status: 'open', filled: 0, averagePrice: null } satisfies Order;
          return order;
        },
      }),
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const result = await h.engine.handlers['proposal.approve']({ id: proposal.id });

    expect(result.proposal).toMatchObject({ status: 'executed', quantity: 0.083 });
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt).toBe(0.083);
    const stops = h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops.map((o) => [o.stopPrice, o.origQty, o.reduceOnly, o.workingType])).toEqual([[58_800, 0.083, true, 'mark']]);
    const journal = h.journal();
    const cancel = journal.findIndex((e) => e.type === 'order.cancel.request' && isEntry((e.data as any).clientOrderId));
    const stopSent = journal.findIndex((e) => e.type === 'order.request' && (e.data as any).purpose === 'stop');
    expect(cancel).toBeGreaterThan(-1);
    expect(stopSent).toBeGreaterThan(cancel);
  });
});

describe('a stop-loss the exchange answers as already dead', () => {
  it('counts as not placed: the position is closed again reduce-only, not left without a stop', async () => {
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          const order = await paper.createOrder(request);
          if (request.type !== 'stop_market') return order;
          await paper.cancelOrder(order);
          return { ...order, status: 'expired' };
        },
      }),
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await expect(h.engine.handlers['proposal.approve']({ id: proposal.id })).rejects.toThrow(/stop-loss could not be placed/);

    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
    const close = h.journal().find((e) => e.type === 'order.request' && (e.data as any).purpose === 'close');
    expect((close!.data as any).request).toMatchObject({ reduceOnly: true, side: 'sell', amount: 0.083 });
    expect(h.journal().some((e) => e.type === 'protection.failed')).toBe(true);
  });
});
