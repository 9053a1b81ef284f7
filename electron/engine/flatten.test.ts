import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlattenReport, JournalEntry } from '../../shared/domain';
import { roundDownToStep } from '../../shared/risk/precision';
import type { ExchangeAdapter, OrderRequest } from './exchange/adapter';
import { OrderRejectedError, RateLimitBanError, RateLimitExceededError, TemporaryExchangeError } from './exchange/errors';
import { createPaperAdapter, type PaperAdapter } from './exchange/paper-adapter';
import { ExecutionLock, LockRevokedError } from './execution-lock';
import { DEFAULT_MAX_RETRY_AFTER_PAUSE_MS, DEFAULT_MAX_ROUNDS, Flattener, type FlattenerOptions } from './flatten';
import { openProtectedPosition, tenMarkets } from './flatten/flatten-fixtures';
import { Journal } from './journal';
import { createSyntheticFeed } from './sim/feeds/synthetic';
import { FailingDisk, WRITE_FAILURES } from './testing/failing-disk';

const FAST_RETRY = { attempts: 8, baseDelayMs: 2, maxDelayMs: 10 };

let dir: string;
let journal: Journal;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flatten-'));
  journal = new Journal({ dir });
});
afterEach(() => {
  journal.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function paperExchange(faults?: string, timeoutMs?: number): PaperAdapter {
  const { markets, profiles } = tenMarkets();
  return createPaperAdapter({ manualClock: true, seed: 11, markets, feed: createSyntheticFeed({ seed: 11, profiles }), startBalance: 1_000_000, faults, ...(timeoutMs ? { timeoutMs } : {}) });
}

const openOnExchange = (paper: PaperAdapter, symbol: string, side: 'long' | 'short', notional = 2_000, protect = true) =>
  openProtectedPosition(paper.sim, symbol, side, notional, protect);

function openPositions(paper: PaperAdapter) {
  return paper.sim.positions().filter((p) => p.positionAmt !== 0);
}

function flattener(adapter: ExchangeAdapter, overrides: Partial<FlattenerOptions> = {}) {
  const reports: FlattenReport[] = [];
  const lock = overrides.lock ?? new ExecutionLock();
  const f = new Flattener({ adapter, journal, lock, now: Date.now, report: (r) => reports.push(r), retry: FAST_RETRY, pauseMs: () => 1, ...overrides });
  return { flattener: f, reports, lock };
}

const entries = (type?: string): JournalEntry[] => journal.tail(100_000).filter((e) => !type || e.type === type);
const data = (e: JournalEntry) => e.data as Record<string, any>;
/** Every close order the flatten journalled before sending: each round's batch, and each resend. */
const sentOrders = (): OrderRequest[] => [
  ...entries('flatten.round').flatMap((e) => data(e).orders as OrderRequest[]),
  ...entries('flatten.order.resend').map((e) => data(e).request as OrderRequest),
];

describe('emergency flatten (paper exchange)', () => {
  it('closes ten positions and cancels their stops and take-profits, all in one round', async () => {
    const paper = paperExchange();
    const { markets } = tenMarkets();
    const sizes = new Map(markets.map((m, i) => [m.symbol, openOnExchange(paper, m.symbol, i % 2 ? 'short' : 'long')]));
    expect(openPositions(paper)).toHaveLength(10);
    expect(paper.sim.openOrders(undefined, 'all')).toHaveLength(20);

    const { flattener: f } = flattener(paper);
    const report = await f.flatten('test');

    expect(report).toMatchObject({ flat: true, attempts: 1, remaining: [] });
    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
    expect(report.symbols).toHaveLength(10);
    for (const s of report.symbols) {
      expect(s).toMatchObject({ status: 'flat', ordersCancelled: 2, closedContracts: sizes.get(s.symbol), remainingContracts: 0, remainingOrders: 0, errors: [] });
    }
  });

  it('sends only reduce-only market closes, for the size the exchange reports, each with its own client order id', async () => {
    const paper = paperExchange();
    const size = openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    openOnExchange(paper, 'ETH/USDT:USDT', 'short');
    await flattener(paper).flattener.flatten('test');
    const orders = sentOrders();
    expect(orders).toHaveLength(2);
    expect(orders.every((o) => o.reduceOnly && o.type === 'market')).toBe(true);
    expect(orders.find((o) => o.symbol === 'BTC/USDT:USDT')).toMatchObject({ side: 'sell', amount: size });
    expect(orders.find((o) => o.symbol === 'ETH/USDT:USDT')).toMatchObject({ side: 'buy' });
    expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(2);
    for (const o of orders) expect(paper.sim.getOrder(o.symbol, { clientOrderId: o.clientOrderId })).toMatchObject({ reduceOnly: true, status: 'FILLED' });
  });

  it('sends every request with the client-side throttle lifted: a panic never queues behind routine traffic', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    let urgent = 0;
    const outsideUrgent: string[] = [];
    const note = (what: string) => {
      if (urgent === 0) outsideUrgent.push(what);
    };
    const throttled: ExchangeAdapter = {
      ...paper,
      withoutThrottle: async (work) => {
        urgent += 1;
        try {
          return await work();
        } finally {
          urgent -= 1;
        }
      },
      fetchPositions: () => (note('fetchPositions'), paper.fetchPositions()),
      fetchOpenOrders: (symbol) => (note('fetchOpenOrders'), paper.fetchOpenOrders(symbol)),
      cancelAllOrders: (symbol) => (note('cancelAllOrders'), paper.cancelAllOrders(symbol)),
      createOrder: (request) => (note('createOrder'), paper.createOrder(request)),
    };
    const report = await flattener(throttled).flattener.flatten('panic button');
    expect(report.flat).toBe(true);
    expect(outsideUrgent).toEqual([]);
  });

  it('journals every order before it is sent, and the whole run from start to end', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    openOnExchange(paper, 'SOL/USDT:USDT', 'short');
    const seenBeforeSend: boolean[] = [];
    const watched: ExchangeAdapter = {
      ...paper,
      createOrder: (request) => {
        seenBeforeSend.push(sentOrders().some((o) => o.clientOrderId === request.clientOrderId));
        return paper.createOrder(request);
      },
      cancelOrder: (order) => {
        seenBeforeSend.push(entries('flatten.round').some((e) => data(e).cancels.some((c: { orders: string[] }) => c.orders.includes(order.id))));
        return paper.cancelOrder(order);
      },
    };
    const report = await flattener(watched).flattener.flatten('panic button');
    expect(seenBeforeSend).toEqual([true, true, true, true, true, true]);

    expect(entries().map((e) => e.type)).toEqual(['flatten.start', 'flatten.round', 'flatten.round.result', 'flatten.end']);
    expect(entries().every((e) => data(e).id === report.id)).toBe(true);
    const [round] = entries('flatten.round').map(data);
    expect(round).toMatchObject({ round: 1, source: 'exchange (REST)' });
    expect(round!.cancels).toEqual([
      { symbol: 'BTC/USDT:USDT', orders: [expect.any(String), expect.any(String)] },
      { symbol: 'SOL/USDT:USDT', orders: [expect.any(String), expect.any(String)] },
    ]);
    expect(round!.found).toEqual([
      { symbol: 'BTC/USDT:USDT', side: 'long', contracts: expect.any(Number), orders: 2 },
      { symbol: 'SOL/USDT:USDT', side: 'short', contracts: expect.any(Number), orders: 2 },
    ]);
    const [result] = entries('flatten.round.result').map(data);
    expect(result!.cancels).toEqual([
      { symbol: 'BTC/USDT:USDT', cancelled: 2 },
      { symbol: 'SOL/USDT:USDT', cancelled: 2 },
    ]);
    expect(result!.orders).toEqual(round!.orders.map((o: OrderRequest) => expect.objectContaining({ clientOrderId: o.clientOrderId, status: 'filled', filled: o.amount })));
    expect(data(entries('flatten.end')[0]!)).toMatchObject({ flat: true, reason: 'panic button', attempts: 1 });
  });

  it('acts at once on what the exchange last reported, then confirms over REST', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    openOnExchange(paper, 'ETH/USDT:USDT', 'short');
    const [positions, orders] = await Promise.all([paper.fetchPositions(), paper.fetchOpenOrders()]);
    let surveys = 0;
    const counting: ExchangeAdapter = { ...paper, fetchPositions: () => (surveys++, paper.fetchPositions()) };
    const report = await flattener(counting, { lastReported: () => ({ positions, orders }) }).flattener.flatten('test');
    expect(report).toMatchObject({ flat: true, attempts: 1 });
    expect(surveys).toBe(1);
    expect(entries('flatten.round').map((e) => data(e).source)).toEqual(['last exchange report']);
    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
  });

  it('a stale report does no harm: reduce-only orders cannot open anything, and REST finishes the job', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const stale = await paper.fetchPositions();
    paper.sim.placeOrder({ symbol: 'BTC/USDT:USDT', side: 'SELL', type: 'MARKET', quantity: stale[0]!.contracts * 2 });
    expect(openPositions(paper)[0]!.positionAmt).toBeLessThan(0);
    const report = await flattener(paper, { lastReported: () => ({ positions: stale, orders: [] }) }).flattener.flatten('test');
    expect(report).toMatchObject({ flat: true, attempts: 2 });
    expect(report.symbols[0]!.errors).toEqual([expect.stringMatching(/^round 0: close position failed: OrderRejectedError/)]);
    expect(openPositions(paper)).toEqual([]);
  });

  it('streams per-symbol progress before the result', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'XRP/USDT:USDT', 'long');
    const { flattener: f, reports } = flattener(paper);
    await f.flatten('test');
    expect(reports[0]).toMatchObject({ finishedAt: null, symbols: [] });
    expect(reports.some((r) => r.symbols[0]?.status === 'working')).toBe(true);
    expect(reports.at(-1)).toMatchObject({ flat: true, symbols: [{ symbol: 'XRP/USDT:USDT', status: 'flat' }] });
    expect(f.lastReport).toEqual(reports.at(-1));
  });

  it('still ends flat within the retry bound when at least 30% of requests fail (5xx, 429, hung requests, lost answers)', async () => {
    const clientTimeoutMs = 50;
    const paper = paperExchange('5xx=0.1,429=0.1,hang=0.2,timeout=0.1', clientTimeoutMs);
    for (const [i, m] of tenMarkets().markets.entries()) openOnExchange(paper, m.symbol, i % 2 ? 'short' : 'long');
    const report = await flattener(paper).flattener.flatten('test');
    expect(report.flat, report.remaining.join('; ')).toBe(true);
    expect(report.attempts).toBeLessThanOrEqual(DEFAULT_MAX_ROUNDS);
    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
    const retried = entries('flatten.retry').map((e) => String(data(e).error));
    expect(retried.some((m) => /Service Unavailable|Too many requests/.test(m)), 'a 5xx or a 429 was retried').toBe(true);
    expect(retried.some((m) => m.includes(`Request timed out (${clientTimeoutMs} ms)`)), 'a hung request was retried').toBe(true);
    const sent = sentOrders();
    expect(sent.every((o) => o.reduceOnly && o.type === 'market')).toBe(true);
    const flattenFills = paper.sim.fills().filter((f) => sent.some((o) => o.clientOrderId === f.clientOrderId));
    expect(flattenFills.length).toBeGreaterThanOrEqual(10);
    for (const fill of flattenFills) expect(paper.sim.getOrder(fill.symbol, { orderId: fill.orderId }).reduceOnly).toBe(true);
  });

  it('wins the lock from a blocked strategy loop and does not wait for it to halt', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const lock = new ExecutionLock();
    const strategyLease = await lock.acquire('strategy loop');
    const waiting = lock.acquire('approve proposal');
    let halted = 0;
    const { flattener: f } = flattener(paper, { lock, halt: () => (halted++, new Promise(() => undefined)) });

    const report = await f.flatten('test');
    expect(report.flat).toBe(true);
    expect(halted).toBe(1);
    expect(strategyLease.revoked).toBe(true);
    expect(() => strategyLease.assertHeld()).toThrow(LockRevokedError);
    await expect(waiting).rejects.toThrow(LockRevokedError);
    expect((await lock.acquire('after flatten')).owner).toBe('after flatten');
  });

  it('covers what the bot never opened: an unprotected position and a resting order on a symbol without a position', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'DOGE/USDT:USDT', 'short', 1_500, false);
    const mark = paper.sim.mark('ETH/USDT:USDT').markPrice;
    paper.sim.placeOrder({ symbol: 'ETH/USDT:USDT', side: 'BUY', type: 'LIMIT', quantity: 0.5, price: roundDownToStep(mark * 0.8, 0.01), timeInForce: 'GTC' });
    const report = await flattener(paper).flattener.flatten('test');
    expect(report.flat).toBe(true);
    expect(report.symbols.map((s) => [s.symbol, s.ordersCancelled, s.closedContracts > 0]).sort()).toEqual([
      ['DOGE/USDT:USDT', 0, true],
      ['ETH/USDT:USDT', 1, false],
    ]);
    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
  });

  it('cancels a crowded book with one cancel-all instead of one request per order, and an order already gone is no error', async () => {
    const paper = paperExchange();
    const mark = paper.sim.mark('ETH/USDT:USDT').markPrice;
    for (let i = 1; i <= 5; i++) {
      paper.sim.placeOrder({ symbol: 'ETH/USDT:USDT', side: 'BUY', type: 'LIMIT', quantity: 0.1, price: roundDownToStep(mark * (1 - i / 20), 0.01), timeInForce: 'GTC' });
    }
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const calls: string[] = [];
    const counting: ExchangeAdapter = {
      ...paper,
      cancelAllOrders: (symbol) => (calls.push(`all ${symbol}`), paper.cancelAllOrders(symbol)),
      cancelOrder: async (order) => {
        if (!calls.some((c) => c.startsWith('one'))) paper.sim.cancelOrder(order.symbol, { orderId: Number(order.id) });
        calls.push(`one ${order.symbol}`);
        return paper.cancelOrder(order);
      },
    };
    const report = await flattener(counting).flattener.flatten('test');
    expect(report).toMatchObject({ flat: true, attempts: 1 });
    expect(calls.sort()).toEqual(['all ETH/USDT:USDT', 'one BTC/USDT:USDT', 'one BTC/USDT:USDT']);
    expect(report.symbols.map((s) => [s.symbol, s.ordersCancelled, s.errors]).sort()).toEqual([
      ['BTC/USDT:USDT', 1, []],
      ['ETH/USDT:USDT', 5, []],
    ]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
  });

  it('looks again and finishes what a partial fill or a racing order left behind', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long', 5_000);
    openOnExchange(paper, 'ETH/USDT:USDT', 'long');
    let partial = true;
    let raced = false;
    const racy: ExchangeAdapter = {
      ...paper,
      createOrder: (request) => {
        if (request.symbol === 'BTC/USDT:USDT' && partial) {
          partial = false;
          return paper.createOrder({ ...request, amount: roundDownToStep(request.amount / 2, 0.001) });
        }
        return paper.createOrder(request);
      },
      cancelOrder: async (order) => {
        await paper.cancelOrder(order);
        if (order.symbol === 'ETH/USDT:USDT' && !raced) {
          raced = true;
          paper.sim.placeOrder({ symbol: order.symbol, side: 'BUY', type: 'LIMIT', quantity: 0.1, price: 1_000, timeInForce: 'GTC' });
        }
      },
    };
    const report = await flattener(racy).flattener.flatten('test');
    expect(report).toMatchObject({ flat: true, attempts: 2 });
    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
    expect(report.symbols.find((s) => s.symbol === 'ETH/USDT:USDT')?.ordersCancelled).toBe(3);
  });

  it('stops at the retry bound and reports exactly what remains, and why', async () => {
    const paper = paperExchange();
    const size = openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    openOnExchange(paper, 'ETH/USDT:USDT', 'long');
    const refusing: ExchangeAdapter = {
      ...paper,
      createOrder: (request) =>
        request.symbol === 'BTC/USDT:USDT' ? Promise.reject(new OrderRejectedError('ReduceOnly Order is rejected.', '-2022')) : paper.createOrder(request),
    };
    const report = await flattener(refusing, { maxRounds: 3 }).flattener.flatten('test');
    expect(report).toMatchObject({ flat: false, attempts: 3 });
    const btc = report.symbols.find((s) => s.symbol === 'BTC/USDT:USDT')!;
    expect(btc).toMatchObject({ status: 'failed', remainingContracts: size, remainingOrders: 0, ordersCancelled: 2 });
    expect(btc.errors).toHaveLength(3);
    expect(report.symbols.find((s) => s.symbol === 'ETH/USDT:USDT')?.status).toBe('flat');
    expect(report.remaining).toEqual([expect.stringMatching(new RegExp(`^BTC/USDT:USDT: ${size} contracts and 0 open orders remain after 3 rounds \\(round 3: close position failed: OrderRejectedError: ReduceOnly Order is rejected\\.\\)$`))]);
    expect(data(entries('flatten.end')[0]!)).toMatchObject({ flat: false, remaining: report.remaining });
  });

  it('says so when it cannot even see the account', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const blind: ExchangeAdapter = { ...paper, fetchPositions: () => Promise.reject(new TemporaryExchangeError('503 Service Unavailable')) };
    const report = await flattener(blind, { maxRounds: 2, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } }).flattener.flatten('test');
    expect(report.flat).toBe(false);
    expect(report.remaining).toEqual([expect.stringMatching(/^Could not confirm the account is flat: .*503 Service Unavailable/)]);
  });

  it('a second press while it runs joins the running flatten', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const { flattener: f } = flattener(paper);
    const [a, b] = await Promise.all([f.flatten('button'), f.flatten('shortcut')]);
    expect(b.id).toBe(a.id);
    expect(entries('flatten.start')).toHaveLength(1);
    expect(entries('flatten.join')).toHaveLength(1);
    const again = await f.flatten('later');
    expect(again.id).not.toBe(a.id);
    expect(again.flat).toBe(true);
  });
});

describe('emergency flatten when the journal cannot be written', () => {
  const withFailingJournal = () => {
    const failing = new FailingDisk();
    const failingJournal = new Journal({ dir: fs.mkdtempSync(path.join(os.tmpdir(), 'flatten-disk-')), disk: failing.disk });
    return { failing, failingJournal };
  };

  it.each(WRITE_FAILURES)('still cancels and closes everything on %s, releases the lock, and reports the journal failure beside a flat verdict', async (code) => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    openOnExchange(paper, 'ETH/USDT:USDT', 'short');
    const { failing, failingJournal } = withFailingJournal();
    failing.fail(code);
    const { flattener: f, lock, reports } = flattener(paper, { journal: failingJournal });

    const report = await f.flatten('disk trouble');

    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
    expect(report.flat).toBe(true);
    expect(report.remaining).toEqual([]);
    expect(report.journalFailure).toContain(code);
    expect(reports.at(-1)).toMatchObject({ flat: true, journalFailure: report.journalFailure });
    expect(lock.flattening).toBe(false);
    await expect(lock.run('next work', async () => 'ran')).resolves.toBe('ran');
    failingJournal.close();
  });

  it('runs when the journal is already closed, and a second flatten afterwards works too', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'SOL/USDT:USDT', 'long');
    const { failingJournal } = withFailingJournal();
    failingJournal.close();
    const { flattener: f, lock } = flattener(paper, { journal: failingJournal });
    expect(await f.flatten('closed journal')).toMatchObject({ flat: true, journalFailure: expect.stringContaining('The journal is closed') });
    expect(openPositions(paper)).toEqual([]);
    openOnExchange(paper, 'SOL/USDT:USDT', 'short');
    expect(await f.flatten('again')).toMatchObject({ flat: true });
    expect(openPositions(paper)).toEqual([]);
    expect(lock.flattening).toBe(false);
  });

  it('says what the exchange still holds, not the journal error, when it cannot close everything', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const { failing, failingJournal } = withFailingJournal();
    failing.fail('ENOSPC');
    const refusing: ExchangeAdapter = { ...paper, createOrder: async () => Promise.reject(new OrderRejectedError('closes refused')) };
    const { flattener: f, lock } = flattener(refusing, { journal: failingJournal, maxRounds: 1 });
    const report = await f.flatten('refused');
    expect(report.flat).toBe(false);
    expect(report.remaining.join('\n')).toContain('closes refused');
    expect(report.journalFailure).toContain('ENOSPC');
    expect(lock.flattening).toBe(false);
  });

  it('finishes, reports flat and releases the lock even when a report listener throws', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    let calls = 0;
    const { flattener: f, lock } = flattener(paper, {
      report: (r) => {
        calls += 1;
        if (r.finishedAt !== null) throw new Error('listener broke');
      },
    });
    await expect(f.flatten('x')).resolves.toMatchObject({ flat: true });
    expect(calls).toBeGreaterThan(1);
    expect(lock.flattening).toBe(false);
    expect(openPositions(paper)).toEqual([]);
  });
});

describe('emergency flatten under rate limits', () => {
  /** A flatten on a clock that moves only when it pauses (or when the test says), recording its pauses. */
  function onTestClock(adapter: ExchangeAdapter) {
    const clock = { now: 1_000_000 };
    const pauses: number[] = [];
    const run = flattener(adapter, { now: () => clock.now, sleep: async (ms) => void (pauses.push(ms), (clock.now += ms)) });
    return { ...run, clock, pauses };
  }
  /** The paper exchange, refusing the first cancel with `error`. */
  const firstCancelRefused = (paper: PaperAdapter, error: Error): ExchangeAdapter => {
    let refused = false;
    return {
      ...paper,
      cancelOrder: (order) => {
        if (refused) return paper.cancelOrder(order);
        refused = true;
        return Promise.reject(error);
      },
    };
  };

  it("waits out the round's Retry-After before looking again, instead of sending into the 429, and journals the pause", async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const run = onTestClock(firstCancelRefused(paper, new RateLimitExceededError('Rate limit exceeded (HTTP 429), the exchange asks to wait 12 s', '-1003', 12_000)));
    const report = await run.flattener.flatten('test');
    expect(report).toMatchObject({ flat: true, attempts: 2 });
    expect(run.pauses).toEqual([12_000]);
    expect(entries('flatten.pause').map(data)).toEqual([expect.objectContaining({ round: 1, ms: 12_000, becauseOfRetryAfter: true })]);
  });

  it('counts the wait from when the answer came: time the round already spent is not waited twice', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const limited = firstCancelRefused(paper, new RateLimitExceededError('429', '-1003', 12_000));
    const run = onTestClock({
      ...limited,
      createOrder: async (request) => {
        await new Promise((resolve) => setImmediate(resolve));
        run.clock.now += 8_000;
        return limited.createOrder(request);
      },
    });
    await run.flattener.flatten('test');
    expect(run.pauses).toEqual([4_000]);
  });

  it('bounds the pause (30 s by default, or as set) however long the exchange asks, a 418 ban included', async () => {
    const paper = paperExchange();
    openOnExchange(paper, 'BTC/USDT:USDT', 'long');
    const run = onTestClock(firstCancelRefused(paper, new RateLimitBanError('IP banned by the exchange for too many requests (HTTP 418), for 300 s', '-1003', 300_000)));
    expect((await run.flattener.flatten('test')).flat).toBe(true);
    expect(run.pauses).toEqual([DEFAULT_MAX_RETRY_AFTER_PAUSE_MS]);

    const other = paperExchange();
    openOnExchange(other, 'BTC/USDT:USDT', 'long');
    const clock = { now: 0 };
    const pauses: number[] = [];
    const limited = firstCancelRefused(other, new RateLimitExceededError('429', '-1003', 20_000));
    await flattener(limited, { now: () => clock.now, sleep: async (ms) => void (pauses.push(ms), (clock.now += ms)), maxRetryAfterPauseMs: 5_000 }).flattener.flatten('test');
    expect(pauses).toEqual([5_000]);
  });
});
