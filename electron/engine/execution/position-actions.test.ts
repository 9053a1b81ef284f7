import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import type { ExchangeAdapter } from '../exchange/adapter';
import { OrderRejectedError } from '../exchange/errors';
import type { PaperAdapter } from '../exchange/paper-adapter';
import { flush, openBtcLong, paperEngine } from '../testing/paper-engine';
import { surplusProtection } from './position-actions';
import { parseCommand } from '../../../shared/contract';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

const BTC = 'BTC/USDT:USDT';

const openLong = openBtcLong;

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

describe('a stop that lands beside the one in place', () => {
  it('is found from the stream and the older one cancelled, the newest generation kept; a stop placed by hand is left alone', async () => {
    h = await paperEngine();
    const proposal = await openLong(h);
    h.paper.sim.placeOrder({ symbol: BTC, side: 'SELL', type: 'STOP_MARKET', quantity: 0.083, stopPrice: 58_500, workingType: 'mark', reduceOnly: true, clientOrderId: `ck-${proposal.id}-sl-2` });
    h.paper.sim.placeOrder({ symbol: BTC, side: 'SELL', type: 'STOP_MARKET', quantity: 0.01, stopPrice: 57_000, workingType: 'mark', reduceOnly: true, clientOrderId: 'by-hand-1' });
    for (let i = 0; i < 50 && workingStops(h).length > 2; i++) await flush(2);
    expect(workingStops(h).sort()).toEqual([
      ['by-hand-1', 57_000],
      [`ck-${proposal.id}-sl-2`, 58_500],
    ]);
    expect(h.journal().find((e) => e.type === 'protection.duplicate')?.data).toEqual({ symbol: BTC, purpose: 'stop', keep: `ck-${proposal.id}-sl-2`, cancel: [`ck-${proposal.id}-sl-1`] });
    expect(h.engine.trading.ledger.get(BTC)?.stop).toBe(58_500);
  });
});

describe('surplusProtection', () => {
  const order = (clientOrderId: string, over: Partial<Order> = {}): Order => ({
    id: clientOrderId,
    clientOrderId,
    symbol: BTC,
    side: 'sell',
    type: 'stop_market',
    purpose: 'other',
    price: null,
    triggerPrice: 58_000,
    triggerBy: 'mark',
    amount: 0.1,
    filled: 0,
    averagePrice: null,
    status: 'open',
    reduceOnly: true,
    closePosition: false,
    conditional: true,
    timestamp: 1,
    ...over,
  });

  it('keeps the highest generation of an operation even when an older one landed later', () => {
    const surplus = surplusProtection({ side: 'long' }, [order('ck-op1-sl-2', { timestamp: 1 }), order('ck-op1-sl-1', { timestamp: 2 }), order('ck-op1-tp-1', { type: 'take_profit_market' })]);
    expect(surplus.map((s) => [s.order.clientOrderId, s.keep?.clientOrderId])).toEqual([['ck-op1-sl-1', 'ck-op1-sl-2']]);
  });

  it('across operations, keeps the ledger’s operation (else that of the order placed last), and its highest generation', () => {
    const stops = [order('ck-op1-sl-2', { timestamp: 1 }), order('ck-op2-sl-1', { timestamp: 2 }), order('ck-op1-sl-1', { timestamp: 3 })];
    const kept = (preferred: string | null) => new Set(surplusProtection({ side: 'long' }, stops, preferred).map((s) => s.keep?.clientOrderId));
    expect(kept('op1')).toEqual(new Set(['ck-op1-sl-2']));
    expect(kept('op2')).toEqual(new Set(['ck-op2-sl-1']));
    expect(kept(null), 'the old sl-1 landed last, so op1 is current, and its sl-2 the stop').toEqual(new Set(['ck-op1-sl-2']));
    expect(kept('op-unknown')).toEqual(new Set(['ck-op1-sl-2']));
    expect(surplusProtection({ side: 'long' }, stops, 'op2').map((s) => s.order.clientOrderId).sort()).toEqual(['ck-op1-sl-1', 'ck-op1-sl-2']);
  });

  it('without a position every reduce-only order of the cockpit goes, and none placed by hand', () => {
    const surplus = surplusProtection(null, [order('ck-op1-sl-1'), order('ck-op1-tp-1', { type: 'take_profit_market' }), order('by-hand')]);
    expect(surplus.map((s) => [s.order.clientOrderId, s.why])).toEqual([
      ['ck-op1-sl-1', 'its position is closed'],
      ['ck-op1-tp-1', 'its position is closed'],
    ]);
  });

  it('a stop on the position\'s own side protects nothing', () => {
    const surplus = surplusProtection({ side: 'short' }, [order('ck-op1-sl-1'), order('ck-op2-sl-1', { side: 'buy' })]);
    expect(surplus.map((s) => s.order.clientOrderId)).toEqual(['ck-op1-sl-1']);
  });
});

/**
 * The paper exchange, except that the first position read after each reduce-only market order still
 * shows the position from before it; `answer` rewrites what the order's answer says.
 */
function lagsAfterCuts(paper: PaperAdapter, answer: (order: Order) => Order = (order) => order): ExchangeAdapter {
  let stale: Awaited<ReturnType<PaperAdapter['fetchPositions']>> | null = null;
  return {
    ...paper,
    createOrder: async (request) => {
      if (!(request.reduceOnly && request.type === 'market')) return paper.createOrder(request);
      stale = await paper.fetchPositions();
      return answer(await paper.createOrder(request));
    },
    fetchPositions: async () => {
      const lagging = stale;
      stale = null;
      return lagging ?? paper.fetchPositions();
    },
  };
}

async function cutByThirtyPercent(harness: Harness) {
  await openLong(harness);
  const before = harness.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt;
  const cut = await harness.engine.trading.reduce(BTC, 0.3, 'margin ratio test');
  const after = harness.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt;
  const expected = harness.paper.amountToPrecision(BTC, before * 0.3);
  const closes = harness.journal().filter((e) => e.type === 'order.request' && (e.data as any).purpose === 'close');
  return { before, after, cut, expected, closes };
}

describe('reducing a position when the position read lags the fill', () => {
  it('cuts by the fraction asked once: what its order reported filled is not sent again, it reads again instead', async () => {
    h = await paperEngine({ wrap: (paper) => lagsAfterCuts(paper) });

    const { before, after, cut, expected, closes } = await cutByThirtyPercent(h);

    expect(after).toBeCloseTo(before - expected, 8);
    expect(cut).toBeCloseTo(expected, 8);
    expect(closes.map((e) => (e.data as any).request.amount)).toEqual([expected]);
    expect(h.journal().some((e) => e.type === 'position.read.lagging' && (e.data as any).symbol === BTC)).toBe(true);
  });

  it('also when the order’s answer came before its fill (as Bybit’s and OKX’s do): the order is looked up, not sent again', async () => {
    h = await paperEngine({ wrap: (paper) => lagsAfterCuts(paper, (order) => ({ ...order, status: 'open', filled: 0, averagePrice: null })) });

    const { before, after, cut, expected, closes } = await cutByThirtyPercent(h);

    expect(after).toBeCloseTo(before - expected, 8);
    expect(cut).toBeCloseTo(expected, 8);
    expect(closes).toHaveLength(1);
  });

  it('sends again what a done order left unfilled', async () => {
    let expireNext = true;
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          if (!(request.reduceOnly && request.type === 'market' && expireNext)) return paper.createOrder(request);
          expireNext = false;
          return { id: 'gone-1', clientOrderId: request.clientOrderId, symbol: request.symbol, side: request.side, type: 'market', purpose: 'close', price: null, triggerPrice: null, triggerBy: null, amount: request.amount, filled: 0, averagePrice: null, status: 'expired', reduceOnly: true, closePosition: false, conditional: false, timestamp: 0 } satisfies Order;
        },
      }),
    });
    const { before, after, cut, expected, closes } = await cutByThirtyPercent(h);

    expect(after).toBeCloseTo(before - expected, 8);
    expect(cut).toBeCloseTo(expected, 8);
    expect(closes.map((e) => (e.data as any).request.clientOrderId.split('-').at(-1))).toEqual(['1', '2']);
  });
});

describe('reducing a position by a share, as the user asks', () => {
  const protective = (harness: Harness) =>
    harness.paper.sim
      .openOrders(BTC, 'conditional')
      .map((o) => ({ type: o.type, quantity: o.origQty, stopPrice: o.stopPrice }))
      .sort((a, b) => a.type.localeCompare(b.type));

  it('halves the position and its stop and take-profit, at the same triggers, reduce-only', async () => {
    h = await paperEngine();
    await openLong(h);
    const before = h.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt;
    const half = h.paper.amountToPrecision(BTC, before / 2);

    const result = await h.engine.handlers['position.reduce']({ symbol: BTC, fraction: 0.5 });

    const left = h.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt;
    expect(result.reducedContracts).toBeCloseTo(half, 9);
    expect(left).toBeCloseTo(before - half, 9);
    expect(result.position?.contracts).toBeCloseTo(left, 9);
    expect(protective(h)).toEqual([
      { type: 'STOP_MARKET', quantity: left, stopPrice: 58_800 },
      { type: 'TAKE_PROFIT_MARKET', quantity: left, stopPrice: 62_400 },
    ]);
    const requests = h.journal().filter((e) => e.type === 'order.request').map((e) => (e.data as any).request);
    expect(requests.filter((r) => r.type === 'market' && r.reduceOnly).map((r) => r.amount)).toEqual([half]);
    expect(requests.filter((r) => r.type !== 'market').every((r) => r.reduceOnly)).toBe(true);
    expect(h.engine.trading.book.positionViews()[0]).toMatchObject({ stopPrice: 58_800, takeProfitPrice: 62_400 });
  });

  it('rounds the share down to the market step (25% of 0.083 BTC is 0.020)', async () => {
    h = await paperEngine();
    await openLong(h);
    const before = h.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt;
    const result = await h.engine.handlers['position.reduce']({ symbol: BTC, fraction: 0.25 });
    expect(before).toBe(0.083);
    expect(result.reducedContracts).toBe(0.02);
    expect(protective(h).map((o) => o.quantity)).toEqual([0.063, 0.063]);
  });

  it('keeps the old stop and warns when the smaller one is refused: the position is never without its stop', async () => {
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          if (request.type === 'stop_market' && request.clientOrderId.endsWith('-sl-2')) throw new OrderRejectedError('Stop refused', '-2021');
          return paper.createOrder(request);
        },
      }),
    });
    await openLong(h);
    const before = h.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt;
    await h.engine.handlers['position.reduce']({ symbol: BTC, fraction: 0.5 });
    expect(protective(h)[0]).toEqual({ type: 'STOP_MARKET', quantity: before, stopPrice: 58_800 });
    const titles = h.events.filter((e) => e.event === 'notification').map((e) => (e.payload as { title: string }).title);
    expect(titles).toContain(`The stop on ${BTC} was not resized`);
  });

  it('accepts only 25, 50 or 75%', () => {
    expect(parseCommand('position.reduce', { symbol: BTC, fraction: 0.3 }).ok).toBe(false);
    expect(parseCommand('position.reduce', { symbol: BTC, fraction: 0.75 }).ok).toBe(true);
  });
});

describe('a cut too small for the market', () => {
  it('is refused with the reason, and nothing is sent; a symbol without a position is not found', async () => {
    h = await paperEngine();
    await h.engine.start();
    h.paper.sim.placeOrder({ symbol: BTC, side: 'BUY', type: 'MARKET', quantity: 0.002, clientOrderId: 'by-hand-entry' });
    await h.engine.trading.refreshAccount();
    await expect(h.engine.handlers['position.reduce']({ symbol: BTC, fraction: 0.25 })).rejects.toThrow(/25% of 0.002 rounds down to nothing at the market's step \(0.001\)/);
    expect(h.journal().filter((e) => e.type === 'order.request')).toHaveLength(0);
    await expect(h.engine.handlers['position.reduce']({ symbol: 'ETH/USDT:USDT', fraction: 0.5 })).rejects.toThrow(/no open position on ETH/);
  });
});

describe('a close sends its first order for the size the streams reported, before reading the exchange', () => {
  const recording = (calls: string[]) => (paper: PaperAdapter): ExchangeAdapter => ({
    ...paper,
    fetchPositions: async () => {
      calls.push('fetchPositions');
      return paper.fetchPositions();
    },
    createOrder: async (request) => {
      calls.push(`createOrder ${request.type} ${request.amount} reduceOnly=${request.reduceOnly}`);
      return paper.createOrder(request);
    },
  });

  it('closes with a reduce-only market order of the reported size as its first request', async () => {
    const calls: string[] = [];
    h = await paperEngine({ wrap: recording(calls) });
    const proposal = await openLong(h);
    await flush();
    calls.length = 0;
    await h.engine.handlers['position.close']({ symbol: BTC });
    expect(calls[0]).toBe(`createOrder market ${proposal.quantity} reduceOnly=true`);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
  });

  it('reads the exchange and closes what it holds when the exchange refuses the first order (the reported position had turned)', async () => {
    const calls: string[] = [];
    let refuse = false;
    h = await paperEngine({
      wrap: (paper) => {
        const recorded = recording(calls)(paper);
        return {
          ...recorded,
          createOrder: async (request) => {
            if (refuse && request.reduceOnly) {
              refuse = false;
              calls.push('createOrder refused');
              throw new OrderRejectedError('ReduceOnly Order is rejected.', '-2022');
            }
            return recorded.createOrder(request);
          },
        };
      },
    });
    const proposal = await openLong(h);
    await flush();
    calls.length = 0;
    refuse = true;
    const closed = await h.engine.handlers['position.close']({ symbol: BTC });
    expect(closed.closedContracts).toBe(proposal.quantity);
    expect(calls.slice(0, 3)).toEqual(['createOrder refused', 'fetchPositions', `createOrder market ${proposal.quantity} reduceOnly=true`]);
    expect(h.journal().some((e) => e.type === 'position.close.reread')).toBe(true);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
  });
});
