import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import type { ExchangeAdapter, OrderRequest } from '../exchange/adapter';
import { AmbiguousOrderError, RateLimitExceededError } from '../exchange/errors';
import type { PaperAdapter } from '../exchange/paper-adapter';
import { paperEngine } from '../testing/paper-engine';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

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

/**
 * The paper exchange, except that the first order of the chosen type is still travelling when
 * its answer is lost: it reaches the exchange just after the next look-up by client id has
 * answered "not found". Sends may land up to `lifetimeMs` after they leave, as on Binance.
 */
function firstTryLandsLate(type: OrderRequest['type'], lifetimeMs: number) {
  return (paper: PaperAdapter): ExchangeAdapter => {
    let travelling: OrderRequest | null = null;
    let sent = false;
    return {
      ...paper,
      capabilities: { ...paper.capabilities, requestLifetimeMs: lifetimeMs },
      createOrder: async (request) => {
        if (request.type !== type || sent) return paper.createOrder(request);
        sent = true;
        travelling = request;
        throw new AmbiguousOrderError('Request timed out (10000 ms) after it was sent: the order may or may not exist', 'timeout');
      },
      fetchOrderByClientId: async (symbol, clientOrderId) => {
        const found = await paper.fetchOrderByClientId(symbol, clientOrderId);
        const landing = travelling;
        travelling = null;
        if (landing) await paper.createOrder(landing);
        return found;
      },
    };
  };
}

describe('an order whose first try lands after the look-up', () => {
  it('a stop-loss ends placed exactly once and the position keeps it: no emergency close', async () => {
    h = await paperEngine({ wrap: firstTryLandsLate('stop_market', 11_000) });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const result = await h.engine.handlers['proposal.approve']({ id: proposal.id });

    expect(result.proposal).toMatchObject({ status: 'executed', quantity: 0.083 });
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt).toBe(0.083);
    const stops = h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops.map((o) => [o.stopPrice, o.origQty])).toEqual([[58_800, 0.083]]);
    const journal = h.journal();
    expect(journal.filter((e) => e.type === 'order.request' && (e.data as any).purpose === 'stop')).toHaveLength(2);
    expect(journal.some((e) => e.type === 'protection.failed')).toBe(false);
    expect(journal.some((e) => e.type === 'order.request' && (e.data as any).purpose === 'close')).toBe(false);
  });

  it('a market entry ends with exactly one fill: it is not sent again while the first try may still land', async () => {
    h = await paperEngine({ wrap: firstTryLandsLate('market', 11_000) });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const result = await h.engine.handlers['proposal.approve']({ id: proposal.id });

    expect(result.proposal).toMatchObject({ status: 'executed', quantity: 0.083 });
    expect(h.paper.sim.fills().filter((f) => isEntry(f.clientOrderId))).toHaveLength(1);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt).toBe(0.083);
    const stops = h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops.map((o) => o.origQty)).toEqual([0.083]);
    const journal = h.journal();
    expect(journal.filter((e) => e.type === 'order.request' && (e.data as any).purpose === 'entry')).toHaveLength(1);
    const waited = journal.find((e) => e.type === 'order.unknown');
    expect((waited?.data as any)?.waitMs).toBeGreaterThan(10_000);
  });
});

describe('a stop-loss rate-limited with a long Retry-After', () => {
  it('waits it out and is placed, instead of giving up and closing the position into the same 429', async () => {
    let limited = false;
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          if (request.type === 'stop_market' && !limited) {
            limited = true;
            throw new RateLimitExceededError('Rate limit exceeded (HTTP 429), the exchange asks to wait 20 s', '-1003', 20_000);
          }
          return paper.createOrder(request);
        },
      }),
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const result = await h.engine.handlers['proposal.approve']({ id: proposal.id });

    expect(result.proposal).toMatchObject({ status: 'executed' });
    expect(h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET').map((o) => o.stopPrice)).toEqual([58_800]);
    const journal = h.journal();
    expect(journal.some((e) => e.type === 'order.retry' && /asks to wait 20 s/.test((e.data as any).error))).toBe(true);
    expect(journal.some((e) => e.type === 'protection.failed')).toBe(false);
  });
});
