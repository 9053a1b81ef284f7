import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FILLS } from '../../shared/contract';
import type { StrategySettings } from '../../shared/settings';
import { AmbiguousOrderError, OrderRejectedError, RateLimitExceededError } from './exchange/errors';
import type { Strategy } from './strategy/strategy';
import { flush, paperEngine } from './testing/paper-engine';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

const BTC = 'BTC/USDT:USDT';

describe('the engine on a paper exchange', () => {
  it('answers session.snapshot before it has even started', async () => {
    h = await paperEngine();
    const snapshot = await h.engine.handlers['session.snapshot']({});
    expect(snapshot.mode).toBe('paper');
    expect(snapshot.liquidationFormula).toBe('binanceusdm');
    expect(snapshot.connection.state).toBe('connecting');
    expect(snapshot.positions).toEqual([]);
  });

  it('keeps the newest fills for the snapshot, so a reloaded page can draw its fill markers', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    await until(() => h!.engine.trading.snapshot().fills.length > 0);
    expect(h.engine.trading.snapshot().fills).toEqual([expect.objectContaining({ symbol: BTC, side: 'buy', amount: 0.083 })]);

    const fill = h.engine.trading.snapshot().fills[0]!;
    for (let i = 1; i <= SNAPSHOT_FILLS + 5; i++) h.engine.trading.handleStream({ type: 'fill', fill: { ...fill, orderId: `x${i}`, time: fill.time + i } });
    const fills = h.engine.trading.snapshot().fills;
    expect(fills).toHaveLength(SNAPSHOT_FILLS);
    expect(fills.at(-1)?.orderId).toBe(`x${SNAPSHOT_FILLS + 5}`);
    expect(fills[0]?.orderId).toBe('x6');
  });

  it('offers Kelly sizing from the closed trades in the snapshot, and tells the renderer when a trade closes or the risk cap changes', async () => {
    h = await paperEngine();
    await h.engine.start();
    expect(h.engine.trading.snapshot().sizing).toEqual({ trades: 0, minTrades: 20, riskCap: 0.01, kelly: null });

    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    await h.engine.handlers['position.close']({ symbol: BTC });
    await until(() => h!.last('sizing')?.trades === 1);
    expect(h.engine.trading.snapshot().sizing.trades).toBe(1);

    const settings = await h.engine.handlers['settings.get']({});
    await h.engine.handlers['settings.update']({ settings: { ...settings, risk: { ...settings.risk, riskPerTrade: 0.02 } } });
    expect(h.last('sizing')).toMatchObject({ trades: 1, riskCap: 0.02 });
  });

  it('turns a manual ticket into a sized, checked proposal, and approving it opens a protected position', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    expect(proposal.status).toBe('pending');
    expect(proposal.verdict.ok).toBe(true);
    expect(proposal.entry).toBe(60_000);
    // risk-first sizing: 1% of 10,000 USDT over a 1,200 stop distance, rounded down to 0.001
    expect(proposal.quantity).toBe(0.083);
    expect(proposal.riskAmount).toBeCloseTo(0.083 * 1_200, 6);
    expect(proposal.margin).toBeCloseTo((0.083 * 60_000) / 5, 6);
    expect(proposal.liquidationPrice).not.toBeNull();
    expect(proposal.liquidationPrice!).toBeLessThan(58_800);

    const result = await h.engine.handlers['proposal.approve']({ id: proposal.id });
    expect(result.proposal.status).toBe('executed');
    expect(result.position).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.083, origin: 'bot', stopPrice: 58_800, takeProfitPrice: 62_400 });

    const open = h.paper.sim.openOrders(BTC, 'all');
    expect(open.map((o) => [o.type, o.side, o.stopPrice, o.origQty, o.reduceOnly, o.workingType]).sort()).toEqual([
      ['STOP_MARKET', 'SELL', 58_800, 0.083, true, 'mark'],
      ['TAKE_PROFIT_MARKET', 'SELL', 62_400, 0.083, true, 'mark'],
    ]);
    const types = h.journal().map((e) => e.type);
    const chain = ['proposal.created', 'proposal.approve', 'execution.prepare', 'order.request', 'order.response', 'order.request', 'order.response', 'order.request', 'order.response', 'proposal.executed'];
    let at = -1;
    for (const step of chain) {
      at = types.indexOf(step, at + 1);
      expect(at, `journal step ${step}`).toBeGreaterThan(-1);
    }
  });
});

/** Lets stream events and the async work they start run to the end (no timers involved). */
async function until(condition: () => boolean, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds && !condition(); i++) await flush(1);
  expect(condition()).toBe(true);
}

describe('approval re-checks before it sends', () => {
  it('refuses, with the reason, when price moved past the tolerance since the proposal', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    h.setPrice(BTC, 60_600);
    await expect(h.engine.handlers['proposal.approve']({ id: proposal.id })).rejects.toThrow(/Price moved 1\.00% .* past the 0\.5% tolerance/);
    expect(h.engine.trading.proposals.get(proposal.id).status).toBe('refused');
    expect(h.paper.sim.openOrders(BTC, 'all')).toEqual([]);
    expect(h.paper.sim.positions().every((p) => p.positionAmt === 0)).toBe(true);
  });

  it('shows a proposal that fails a check with its reasons, and refuses to approve it', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 61_000, takeProfit: 62_400, leverage: 5 });
    expect(proposal.verdict.ok).toBe(false);
    expect(proposal.verdict.violations.map((v) => v.rule)).toContain('stop-side');
    expect(proposal.statusReason).toMatch(/stop-loss .* must sit below the entry/);
    expect(h.last('proposals')?.find((p) => p.id === proposal.id)?.verdict.ok).toBe(false);
    await expect(h.engine.handlers['proposal.approve']({ id: proposal.id })).rejects.toThrow(/pre-trade check now fails/);
    expect(h.paper.sim.fills()).toEqual([]);
  });

  it('expires an unapproved proposal after its time', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    h.advance(121_000);
    h.engine.trading.proposals.expire();
    expect(h.engine.trading.proposals.get(proposal.id).status).toBe('expired');
    await expect(h.engine.handlers['proposal.approve']({ id: proposal.id })).rejects.toThrow(/expired, not pending/);
  });
});

describe('protected execution', () => {
  it('closes the position again, journals why and alerts when the stop-loss cannot be placed', async () => {
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: (request) => (request.type === 'stop_market' ? Promise.reject(new OrderRejectedError('Order would immediately trigger.', '-2021')) : paper.createOrder(request)),
      }),
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await expect(h.engine.handlers['proposal.approve']({ id: proposal.id })).rejects.toThrow(/stop-loss could not be placed/);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
    expect(h.engine.trading.proposals.get(proposal.id).status).toBe('failed');
    const journal = h.journal();
    const failed = journal.findIndex((e) => e.type === 'protection.failed');
    const closeRequest = journal.findIndex((e) => e.type === 'order.request' && (e.data as any).purpose === 'close');
    expect(failed).toBeGreaterThan(-1);
    expect(closeRequest).toBeGreaterThan(failed);
    expect((journal[closeRequest]!.data as any).request).toMatchObject({ reduceOnly: true, type: 'market', side: 'sell', amount: 0.083 });
    expect(h.events.some((e) => e.event === 'notification' && (e.payload as any).level === 'critical')).toBe(true);
  });

  it('resolves a timeout after the exchange accepted the entry by its client id, so the entry is not doubled', async () => {
    let lost = 0;
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          const order = await paper.createOrder(request);
          if (request.type === 'market' && lost++ === 0) throw new AmbiguousOrderError('timed out after sending');
          return order;
        },
      }),
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const result = await h.engine.handlers['proposal.approve']({ id: proposal.id });
    expect(result.position?.contracts).toBe(0.083);
    expect(h.paper.sim.fills(BTC)).toHaveLength(1);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt).toBe(0.083);
  });

  it('moves a stop by placing the new order first and cancelling the old one after', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    const moved = await h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: 59_400 });
    expect(moved).toMatchObject({ type: 'stop_market', triggerPrice: 59_400, reduceOnly: true, purpose: 'stop' });
    expect(moved.clientOrderId).toBe(`ck-${proposal.id}-sl-2`);
    const stops = h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops.map((o) => o.stopPrice)).toEqual([59_400]);
    const journal = h.journal();
    const placed = journal.findIndex((e) => e.type === 'order.response' && (e.data as any).order?.clientOrderId === moved.clientOrderId);
    const cancelled = journal.findIndex((e) => e.type === 'order.cancel.request' && (e.data as any).clientOrderId === `ck-${proposal.id}-sl-1`);
    expect(placed).toBeGreaterThan(-1);
    expect(cancelled).toBeGreaterThan(placed);
    expect(h.engine.trading.book.positionViews()[0]?.stopPrice).toBe(59_400);
  });

  it('refuses a stop that would trigger at once or sit beyond liquidation', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    await expect(h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: 60_500 })).rejects.toThrow(/must sit below the mark/);
    await expect(h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: 40_000 })).rejects.toThrow(/beyond the liquidation price/);
    expect(h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET').map((o) => o.stopPrice)).toEqual([58_800]);
  });

  it('refuses a stop dragged past the liquidation buffer, as an entry would be, and keeps the old stop', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    const position = h.engine.trading.book.positionViews()[0]!;
    const liq = position.liquidationPrice!;
    const halfway = position.entryPrice - 0.5 * (position.entryPrice - liq);
    await expect(h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: Math.floor(halfway - 100) })).rejects.toThrow(/must sit at most 50% of the way/);
    expect(h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET').map((o) => o.stopPrice)).toEqual([58_800]);
    const within = await h.engine.handlers['order.move']({ symbol: BTC, purpose: 'stop', price: Math.ceil(halfway + 100) });
    expect(within.triggerPrice).toBe(Math.ceil(halfway + 100));
  });

  it('closes a position with a reduce-only market order and cancels its protection', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    const closed = await h.engine.handlers['position.close']({ symbol: BTC });
    expect(closed).toEqual({ symbol: BTC, closedContracts: 0.083 });
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
    expect(h.paper.sim.openOrders(BTC, 'all')).toEqual([]);
    const closeOrder = h.journal().find((e) => e.type === 'order.request' && (e.data as any).purpose === 'close');
    expect((closeOrder!.data as any).request).toMatchObject({ reduceOnly: true, side: 'sell' });
  });

  it('cancels the stop once the take-profit has filled, and the journal shows the fill', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    h.setPrice(BTC, 62_600, 5_000);
    await until(() => h!.paper.sim.openOrders(BTC, 'all').length === 0 && h!.engine.trading.book.positionViews().length === 0);
    expect(h.journal().some((e) => e.type === 'fill' && (e.data as any).clientOrderId === `ck-${proposal.id}-tp-1`)).toBe(true);
  });
});

describe('reconciliation', () => {
  it('adopts a position the bot did not open as manual and flags it has no stop', async () => {
    h = await paperEngine();
    await h.engine.start();
    h.paper.sim.placeOrder({ symbol: 'ETH/USDT:USDT', side: 'SELL', type: 'MARKET', quantity: 1, clientOrderId: 'web_manual_1' });
    await h.engine.trading.reconcile('test');
    const position = h.engine.trading.book.positionViews().find((p) => p.symbol === 'ETH/USDT:USDT');
    expect(position).toMatchObject({ side: 'short', contracts: 1, origin: 'manual', stopPrice: null });
    const notes = h.events.filter((e) => e.event === 'notification').map((e) => (e.payload as any).title);
    expect(notes).toContain('ETH/USDT:USDT has no stop-loss');
    expect(h.journal().some((e) => e.type === 'position.adopted')).toBe(true);
  });

  it('puts back the stop of a bot position whose protection was interrupted, at the next reconciliation', async () => {
    h = await paperEngine();
    await h.engine.start();
    h.paper.sim.placeOrder({ symbol: BTC, side: 'BUY', type: 'MARKET', quantity: 0.05, clientOrderId: 'ck-interrupted-e-1' });
    h.engine.trading.ledger.put({ operation: 'interrupted', proposalId: 'interrupted', symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, stage: 'protecting', updatedAt: 0 });
    expect(h.paper.sim.openOrders(BTC, 'conditional')).toHaveLength(0);
    await h.engine.trading.reconcile('periodic');
    const protection = h.paper.sim.openOrders(BTC, 'conditional').map((o) => ({ type: o.type, stopPrice: o.stopPrice, origQty: o.origQty, reduceOnly: o.reduceOnly }));
    expect(protection).toEqual(
      expect.arrayContaining([
        { type: 'STOP_MARKET', stopPrice: 58_800, origQty: 0.05, reduceOnly: true },
        { type: 'TAKE_PROFIT_MARKET', stopPrice: 62_400, origQty: 0.05, reduceOnly: true },
      ]),
    );
    expect(h.journal().some((e) => e.type === 'protection.resumed' && (e.data as any).outcome === 'protected')).toBe(true);
  });

  it('gives an adopted position its first stop through order.move', async () => {
    h = await paperEngine();
    await h.engine.start();
    h.paper.sim.placeOrder({ symbol: 'ETH/USDT:USDT', side: 'BUY', type: 'MARKET', quantity: 1, clientOrderId: 'web_manual_2' });
    await h.engine.trading.reconcile('test');
    const stop = await h.engine.handlers['order.move']({ symbol: 'ETH/USDT:USDT', purpose: 'stop', price: 2_900 });
    expect(stop).toMatchObject({ side: 'sell', reduceOnly: true, triggerPrice: 2_900 });
    expect(h.engine.trading.book.positionViews()[0]?.stopPrice).toBe(2_900);
  });

  it('after a crash between the fill and the stop, a restart puts the planned stop on the exchange', async () => {
    const first = await paperEngine();
    h = first;
    await first.engine.start();
    first.engine.trading.ledger.put({ operation: 'crash1', proposalId: 'crash1', symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, stage: 'protecting', updatedAt: 0 });
    first.paper.sim.placeOrder({ symbol: BTC, side: 'BUY', type: 'MARKET', quantity: 0.05, clientOrderId: 'ck-crash1-e-1' });
    await first.engine.stop();
    h = await paperEngine({ dataDir: first.dataDir, wrap: () => first.paper });
    await h.engine.start();
    const orders = first.paper.sim.openOrders(BTC, 'all');
    expect(orders.map((o) => [o.type, o.stopPrice, o.origQty, o.clientOrderId]).sort()).toEqual([
      ['STOP_MARKET', 58_800, 0.05, 'ck-crash1-sl-2'],
      ['TAKE_PROFIT_MARKET', 62_400, 0.05, 'ck-crash1-tp-2'],
    ]);
    expect(h.engine.trading.book.positionViews()[0]).toMatchObject({ origin: 'bot', stopPrice: 58_800 });
    expect(h.journal().some((e) => e.type === 'protection.resume')).toBe(true);
  });
});

describe('fills from before a restart', () => {
  it('are loaded from the exchange for the chart, sent to a page already open, and not counted again', async () => {
    const first = await paperEngine();
    h = first;
    await first.engine.start();
    const proposal = await first.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await first.engine.handlers['proposal.approve']({ id: proposal.id });
    await first.engine.handlers['position.close']({ symbol: BTC });
    await flush();
    const fills = first.engine.trading.snapshot().fills;
    expect(fills.map((f) => f.side)).toEqual(['buy', 'sell']);
    const closedTrades = first.engine.trading.trades.sizing(0.01).trades;
    expect(closedTrades).toBe(1);
    await first.engine.stop();

    h = await paperEngine({ dataDir: first.dataDir, wrap: () => first.paper });
    await h.engine.start();
    await flush();

    expect(h.engine.trading.snapshot().fills).toEqual(fills);
    expect(h.events.filter((e) => e.event === 'fills').map((e) => e.payload)).toEqual([fills]);
    expect(h.events.some((e) => e.event === 'fill')).toBe(false);
    expect(h.engine.trading.trades.sizing(0.01).trades).toBe(closedTrades);
  });

  it('that cannot be loaded leave the start working, and the journal says why', async () => {
    h = await paperEngine({ wrap: (paper) => ({ ...paper, fetchFills: () => Promise.reject(new OrderRejectedError('Invalid API-key, IP, or permissions for action.', '-2015')) }) });
    await h.engine.start();
    await flush();
    expect(h.engine.trading.connectionState().state).toBe('connected');
    expect(h.journal().filter((e) => e.type === 'fills.load.error').map((e) => (e.data as any).symbol)).toContain(BTC);
  });
});

describe('the execution lock', () => {
  it('lets the flatten pre-empt an approval waiting for the lock', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const lock = (h.engine as any).ctx.lock as import('./execution-lock').ExecutionLock;
    const holder = await lock.acquire('someone');
    const approval = h.engine.handlers['proposal.approve']({ id: proposal.id });
    const flatten = lock.seize('flatten');
    await expect(approval).rejects.toThrow(/pre-empted by the emergency flatten/);
    flatten.release();
    holder.release();
    expect(h.engine.trading.proposals.get(proposal.id)).toMatchObject({ status: 'failed', statusReason: 'Pre-empted by the emergency flatten' });
    expect(h.paper.sim.fills()).toEqual([]);
  });
});

describe('an entry already on its way when the flatten starts', () => {
  it('is caught: the flatten waits for it to land and closes it, instead of reporting flat too early', async () => {
    let entered!: () => void;
    const entrySent = new Promise<void>((resolve) => (entered = resolve));
    let land!: () => void;
    const slowWire = new Promise<void>((resolve) => (land = resolve));
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          if (!request.reduceOnly && request.type === 'market') {
            entered();
            await slowWire;
          }
          return paper.createOrder(request);
        },
      }),
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const approval = h.engine.handlers['proposal.approve']({ id: proposal.id }).catch((error: Error) => error);
    await entrySent;
    const flatten = h.engine.handlers.flatten({ reason: 'panic while an entry is on the wire' });
    await flush(20);
    land();
    const report = await flatten;
    await approval;
    expect(h.paper.sim.positions().filter((p) => p.positionAmt !== 0)).toEqual([]);
    expect(report.flat).toBe(true);
    expect(h.journal().some((e) => e.type === 'flatten.stragglers')).toBe(true);
  });
});

describe('a stop-loss waiting out a long Retry-After when the flatten starts', () => {
  it('does not hold the flatten up, since nothing of it is in flight, and sends nothing after', async () => {
    let waiting!: () => void;
    const stopWaits = new Promise<void>((resolve) => (waiting = resolve));
    let wake!: () => void;
    const retryAfterOver = new Promise<void>((resolve) => (wake = resolve));
    let stopSends = 0;
    h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        createOrder: async (request) => {
          if (request.type !== 'stop_market') return paper.createOrder(request);
          stopSends += 1;
          throw new RateLimitExceededError('Rate limit exceeded (HTTP 429), the exchange asks to wait 20 s', '-1003', 20_000);
        },
      }),
      trading: {
        retry: {
          sleep: async (ms) => {
            if (ms < 20_000) return;
            waiting();
            await retryAfterOver;
          },
        },
      },
    });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const approval = h.engine.handlers['proposal.approve']({ id: proposal.id }).catch((error: Error) => error);
    await stopWaits;

    const report = await h.engine.handlers.flatten({ reason: 'panic while a stop waits out a 429' });
    expect(report.flat).toBe(true);
    expect(h.journal().some((e) => e.type === 'flatten.stragglers')).toBe(false);
    wake();
    expect(String(await approval)).toMatch(/pre-empted by the emergency flatten/);
    expect(stopSends).toBe(1);
    expect(h.paper.sim.positions().filter((p) => p.positionAmt !== 0)).toEqual([]);
  });
});

describe('approval after waiting for the lock', () => {
  it('refuses a proposal that expired while it waited, and sends nothing', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const lock = (h.engine as any).ctx.lock as import('./execution-lock').ExecutionLock;
    const holder = await lock.acquire('a slow move');
    const approval = h.engine.handlers['proposal.approve']({ id: proposal.id });
    h.advance(proposal.expiresAt - h.paper.sim.now() + 1_000);
    holder.release();
    await expect(approval).rejects.toThrow(/expired while waiting/);
    expect(h.engine.trading.proposals.get(proposal.id).status).toBe('expired');
    expect(h.paper.sim.fills()).toEqual([]);
  });
});

describe('stopping', () => {
  it('happens once: a second stop waits for the first instead of failing on the closed journal', async () => {
    h = await paperEngine();
    await h.engine.start();
    await Promise.all([h.engine.stop(), h.engine.stop()]);
    await expect(h.engine.stop()).resolves.toBeUndefined();
    expect(h.journal().filter((e) => e.type === 'engine.stop')).toHaveLength(1);
  });

  it('waits for work holding the execution lock before it closes the journal, so that work can still journal its orders', async () => {
    h = await paperEngine();
    await h.engine.start();
    const lock = (h.engine as any).ctx.lock as import('./execution-lock').ExecutionLock;
    const journal = (h.engine as any).ctx.journal as import('./journal').Journal;
    const holder = await lock.acquire('a close still sending');
    let stopped = false;
    const stopping = h.engine.stop().then(() => (stopped = true));
    await flush(20);
    expect(stopped).toBe(false);
    expect(() => journal.record('order.response', { late: true })).not.toThrow();
    holder.release();
    await stopping;
    expect(() => journal.record('order.response', { later: true })).toThrow(/journal is closed/);
    h = null;
  });
});

describe('the strategy loop', () => {
  /** Signals a 3% stop / 2:1 long on every live BTC candle. */
  const eager = (settings: StrategySettings): Strategy => ({
    id: settings.id,
    label: 'eager',
    timeframe: settings.timeframe,
    warmup: 0,
    forSymbol: (symbol) => ({
      onCandle: (c) => (symbol === BTC ? { symbol, side: 'long', entry: c.close, stop: c.close * 0.97, takeProfit: c.close * 1.06, leverage: 5, reason: 'eager' } : null),
    }),
  });

  it('journals a strategy error once, when it first shows, and the engine goes on', async () => {
    const broken = (settings: StrategySettings): Strategy => ({
      ...eager(settings),
      forSymbol: () => ({
        onCandle: () => {
          throw new Error('indicator blew up');
        },
      }),
    });
    h = await paperEngine({ trading: { buildStrategy: broken } });
    await h.engine.start();
    h.advance(180_000);
    await until(() => h!.engine.trading.strategies().some((s) => s.lastError !== null));
    const errors = h.journal().filter((e) => e.type === 'strategy.error');
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]!.data).toMatchObject({ error: expect.stringMatching(/indicator blew up/) });
    const keys = errors.map((e) => JSON.stringify(e.data));
    expect(new Set(keys).size, 'each strategy’s error journalled once, not on every candle').toBe(keys.length);
    expect((await h.engine.handlers['engine.ping']({ nonce: 'still here' })).nonce).toBe('still here');
  });

  it('turns a signal into a pending proposal that waits for approval by default', async () => {
    h = await paperEngine({ trading: { buildStrategy: eager } });
    await h.engine.start();
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().length > 0);
    const [proposal] = h.engine.trading.proposals.list();
    expect(proposal).toMatchObject({ source: 'trend-pullback', symbol: BTC, status: 'pending', auto: false, reason: 'eager' });
    expect(proposal!.expiresAt - proposal!.createdAt).toBe(120_000);
    h.advance(60_000);
    await flush(20);
    expect(h.engine.trading.proposals.list()).toHaveLength(1);
    expect(h.paper.sim.fills()).toEqual([]);
  });

  it('executes a signal with its protection in auto mode, after every check', async () => {
    h = await paperEngine({ trading: { buildStrategy: eager }, settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, auto: st.id === 'trend-pullback' })) }) });
    await h.engine.start();
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().some((p) => p.status === 'executed'));
    const position = h.engine.trading.book.positionViews().find((p) => p.symbol === BTC);
    expect(position).toMatchObject({ origin: 'bot', side: 'long' });
    expect(position!.stopPrice).not.toBeNull();
    expect(h.paper.sim.openOrders(BTC, 'all').map((o) => o.type).sort()).toEqual(['STOP_MARKET', 'TAKE_PROFIT_MARKET']);
  });

  it('keeps auto mode behind the breakers: an entry they block is not sent', async () => {
    h = await paperEngine({ trading: { buildStrategy: eager }, settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, auto: true })) }) });
    (h.engine as any).ctx.entryGates.add(() => [{ rule: 'breaker', message: 'Daily loss limit tripped' }]);
    await h.engine.start();
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().length > 0);
    await flush(20);
    const [proposal] = h.engine.trading.proposals.list();
    expect(proposal!.verdict.violations).toContainEqual({ rule: 'breaker', message: 'Daily loss limit tripped' });
    expect(proposal!.status).toBe('pending');
    expect(h.paper.sim.fills()).toEqual([]);
  });
  const entersThenExits = (settings: StrategySettings): Strategy => ({
    ...eager(settings),
    forSymbol: (symbol) => {
      return {
        onCandle: (c) => {
          if (symbol !== BTC) return null;
          if ((c.time / 60_000) % 2 === 0) return { symbol, side: 'long', entry: c.close, stop: c.close * 0.97, takeProfit: c.close * 1.06, leverage: 5, reason: 'eager' };
          return { kind: 'exit', symbol, reason: 'trend over' };
        },
      };
    },
  });

  it('turns an exit signal into a close proposal that waits for approval, and approving it closes the position', async () => {
    h = await paperEngine({ trading: { buildStrategy: entersThenExits } });
    await h.engine.start();
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().length > 0);
    await h.engine.trading.approve(h.engine.trading.proposals.list()[0]!.id);
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().some((p) => p.kind === 'close'));
    const close = h.engine.trading.proposals.list().find((p) => p.kind === 'close')!;
    expect(close).toMatchObject({ source: 'trend-pullback', symbol: BTC, side: 'long', status: 'pending', reason: 'trend over' });
    expect(h.engine.trading.book.positionViews().some((p) => p.symbol === BTC), 'nothing closes before approval').toBe(true);
    expect(h.journal().some((e) => e.type === 'proposal.created' && (e.data as { kind?: string }).kind === 'close')).toBe(true);
    await h.engine.trading.approve(close.id);
    expect(h.engine.trading.proposals.get(close.id).status).toBe('executed');
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
  });

  it('closes at once on an exit signal in auto mode, journalled', async () => {
    h = await paperEngine({ trading: { buildStrategy: entersThenExits }, settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, auto: st.id === 'trend-pullback' })) }) });
    await h.engine.start();
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().some((p) => p.kind === undefined && p.status === 'executed'));
    h.advance(120_000);
    await until(() => h!.engine.trading.proposals.list().some((p) => p.kind === 'close' && p.status === 'executed'));
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0).toBe(0);
    expect(h.journal().some((e) => e.type === 'position.close' && /trend over/.test(String((e.data as { reason: string }).reason)))).toBe(true);
  });

  it('never closes a position the strategy did not open, even in auto mode', async () => {
    const exitsOnly = (settings: StrategySettings): Strategy => ({ ...eager(settings), forSymbol: (symbol) => ({ onCandle: () => ({ kind: 'exit', symbol, reason: 'not mine' }) }) });
    h = await paperEngine({ trading: { buildStrategy: exitsOnly }, settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, auto: true })) }) });
    await h.engine.start();
    const ticket = await h.engine.trading.proposals.manual({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 64_000, leverage: 5 });
    await h.engine.trading.approve(ticket.id);
    h.advance(180_000);
    await flush(40);
    expect(h.engine.trading.proposals.list().filter((p) => p.kind === 'close')).toEqual([]);
    expect(h.paper.sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBeGreaterThan(0);
  });

  it('ignores an exit signal when there is no position to close', async () => {
    const onlyExits = (settings: StrategySettings): Strategy => ({ ...eager(settings), forSymbol: (symbol) => ({ onCandle: () => ({ kind: 'exit', symbol, reason: 'nothing to do' }) }) });
    h = await paperEngine({ trading: { buildStrategy: onlyExits }, settings: (s) => ({ ...s, strategies: s.strategies.map((st) => ({ ...st, auto: true })) }) });
    await h.engine.start();
    h.advance(240_000);
    await flush(40);
    expect(h.engine.trading.proposals.list()).toEqual([]);
    expect(h.paper.sim.fills()).toEqual([]);
  });
});

describe('the trading commands', () => {
  it('switches a strategy on, off and into auto mode, and keeps the setting', async () => {
    h = await paperEngine();
    await h.engine.start();
    const status = await h.engine.handlers['strategy.set']({ id: 'adaptive-leverage', enabled: true, auto: true });
    expect(status).toMatchObject({ id: 'adaptive-leverage', enabled: true, auto: true, running: true });
    expect((await h.engine.handlers['settings.get']({})).strategies.find((s) => s.id === 'adaptive-leverage')).toMatchObject({ enabled: true, auto: true });
    expect(h.journal().some((e) => e.type === 'strategy.set')).toBe(true);
    await expect(h.engine.handlers['strategy.set']({ id: 'nope', enabled: true })).rejects.toThrow(/No strategy nope/);
  });

  it('serves chart history and rejects a proposal on request', async () => {
    h = await paperEngine();
    await h.engine.start();
    const candles = await h.engine.handlers['market.candles']({ symbol: BTC, timeframe: '5m', limit: 6 });
    expect(candles).toHaveLength(6);
    expect(candles[1]!.time - candles[0]!.time).toBe(300_000);
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'short', stop: 61_200, takeProfit: 57_600, leverage: 5 });
    const rejected = await h.engine.handlers['proposal.reject']({ id: proposal.id, reason: 'not convinced' });
    expect(rejected).toMatchObject({ status: 'rejected', statusReason: 'not convinced' });
    await expect(h.engine.handlers['proposal.reject']({ id: proposal.id })).rejects.toThrow(/rejected, not pending/);
  });

  it('refuses a second live proposal or a ticket on a symbol that already has a position', async () => {
    h = await paperEngine();
    await h.engine.start();
    await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await expect(h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400 })).rejects.toThrow(/already has an open position or a live proposal/);
    await expect(h.engine.handlers['proposal.create']({ symbol: 'DOGE/USDT:USDT', side: 'long', stop: 1, takeProfit: 2 })).rejects.toThrow(/Unknown market/);
  });

  it('rejects every pending proposal and halts the strategies when the flatten asks', async () => {
    h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    const ctx = (h.engine as any).ctx as import('./engine-context').EngineContext;
    ctx.trading.haltStrategies('Flatten: test');
    expect(ctx.trading.rejectAllProposals('Flatten: test').map((p) => p.id)).toEqual([proposal.id]);
    expect(h.engine.trading.strategies().find((s) => s.id === 'trend-pullback')).toMatchObject({ running: false, haltedReason: 'Flatten: test', lastError: null });
  });

  it('reconciles with the exchange after a stream reconnects', async () => {
    h = await paperEngine();
    await h.engine.start();
    h.engine.trading.handleStream({ type: 'connection', state: 'reconnecting', detail: 'socket closed' });
    expect((await h.engine.handlers['session.snapshot']({})).connection.state).toBe('reconnecting');
    h.engine.trading.handleStream({ type: 'connection', state: 'connected', detail: null });
    await until(() => h!.journal().some((e) => e.type === 'reconcile' && (e.data as any).reason === 'reconnect'));
    expect(h.journal().some((e) => e.type === 'connection.lost')).toBe(true);
  });

  it('tests credentials: with none stored, it says so rather than passing', async () => {
    h = await paperEngine();
    expect(await h.engine.handlers['credentials.test']({})).toEqual({ ok: false, message: 'No keys are stored: enter them above first.' });
  });
});
