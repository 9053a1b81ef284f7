import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../shared/domain';
import type { StrategySettings } from '../../shared/settings';
import { roundToTick } from '../../shared/risk/precision';
import { startVenue, type Venue } from '../venue/server';
import { venueEngine, waitFor, type VenueEngineOptions } from './testing/venue-engine';
import { restClient } from '../venue/venue-fixtures';
import type { ExchangeAdapter, OrderRequest } from './exchange/adapter';
import { createCcxtAdapter } from './exchange/ccxt-adapter';
import { ExecutionLock, LockRevokedError } from './execution-lock';
import { DEFAULT_MAX_ROUNDS, Flattener, type FlattenerOptions } from './flatten';
import { createTenMarketExchange, openProtectedPosition, tenMarkets } from './flatten/flatten-fixtures';
import { Journal } from './journal';
import type { SimExchange } from './sim/types';
import type { Strategy } from './strategy/strategy';

let dir: string;
let journal: Journal;
let venue: Venue;
let sim: SimExchange;
let closers: Array<() => Promise<unknown>> = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flatten-venue-'));
  journal = new Journal({ dir });
});
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
  journal.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `npm run venue`'s server on loopback, around a ten-market core, and the cockpit's ccxt adapter pointed at it. */
async function venueWithAdapter(faults?: string, timeoutMs = 3_000, usdc = false) {
  sim = createTenMarketExchange({ seed: 21, usdc });
  venue = await startVenue({ exchange: sim, latencyMs: 2, seed: 21, ...(faults ? { faults } : {}) });
  const adapter = createCcxtAdapter({
    exchange: 'binanceusdm',
    credentials: { apiKey: venue.apiKey, apiSecret: venue.apiSecret },
    exchangeUrl: venue.url,
    enableRateLimit: false,
    timeoutMs,
  });
  closers.push(() => venue.close(), () => adapter.close());
  await loadMarketsDespiteFaults(adapter);
  return adapter;
}

async function loadMarketsDespiteFaults(adapter: { loadMarkets(): Promise<unknown> }) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await adapter.loadMarkets();
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

function openTen(): void {
  tenMarkets().markets.forEach((m, i) => openProtectedPosition(sim, m.symbol, i % 2 ? 'short' : 'long'));
  expect(openPositions()).toHaveLength(10);
  expect(sim.openOrders(undefined, 'all')).toHaveLength(20);
}

const openPositions = () => sim.positions().filter((p) => p.positionAmt !== 0);

function flattener(adapter: FlattenerOptions['adapter'], overrides: Partial<FlattenerOptions> = {}) {
  return new Flattener({ adapter, journal, lock: new ExecutionLock(), now: Date.now, report: () => undefined, pauseMs: () => 20, ...overrides });
}

const entries = (type?: string): JournalEntry[] => journal.tail(100_000).filter((e) => !type || e.type === type);
const data = (e: JournalEntry) => e.data as Record<string, any>;

/** The journal of one flatten is complete when it starts, journals every order it sent before sending, records each round's results, and ends with the report. */
function expectCompleteJournal(id: string): void {
  const run = entries().filter((e) => data(e).id === id);
  expect(run[0]?.type).toBe('flatten.start');
  expect(run.at(-1)?.type).toBe('flatten.end');
  const rounds = run.filter((e) => e.type === 'flatten.round');
  const results = run.filter((e) => e.type === 'flatten.round.result');
  expect(results.map((e) => data(e).round)).toEqual(rounds.map((e) => data(e).round));
  const journalled = new Set([
    ...rounds.flatMap((e) => (data(e).orders as OrderRequest[]).map((o) => o.clientOrderId)),
    ...run.filter((e) => e.type === 'flatten.order.resend').map((e) => data(e).request.clientOrderId as string),
  ]);
  const flattenFills = sim.fills().filter((f) => f.clientOrderId.startsWith(`ck-${id}`));
  expect(flattenFills.length).toBeGreaterThan(0);
  for (const fill of flattenFills) expect(journalled.has(fill.clientOrderId)).toBe(true);
  expect(data(run.at(-1)!)).toMatchObject({ id, flat: true });
}

describe('emergency flatten against the venue (ccxt binanceusdm over HTTP)', () => {
  it('ten positions with stops and take-profits end flat, with no order left', async () => {
    const adapter = await venueWithAdapter();
    openTen();
    const report = await flattener(adapter).flatten('acceptance');
    expect(report).toMatchObject({ flat: true, attempts: 1, remaining: [] });
    expect(report.symbols.every((s) => s.status === 'flat' && s.ordersCancelled === 2 && s.closedContracts > 0)).toBe(true);
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    expect(await adapter.fetchPositions()).toEqual([]);
    expect(await adapter.fetchOpenOrders()).toEqual([]);
    expectCompleteJournal(report.id);
  });

  it('still ends flat within the retry bound when at least 30% of requests fail (5xx, 429, hung requests, lost answers)', async () => {
    // 5xx, 429 and hang are one roll per request: 40% of every request, read or write, fails; order changes lose 10% of the rest after acceptance too.
    const clientTimeoutMs = 400;
    const adapter = await venueWithAdapter('5xx=0.1,429=0.1,hang=0.2,timeout=0.1', clientTimeoutMs);
    openTen();
    const report = await flattener(adapter).flatten('acceptance under faults');
    expect(report.flat, report.remaining.join('; ')).toBe(true);
    expect(report.attempts).toBeLessThanOrEqual(DEFAULT_MAX_ROUNDS);
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    const retried = entries('flatten.retry').map((e) => String(data(e).error));
    expect(retried.some((m) => /503 Service Unavailable|"code":-1003/.test(m)), 'a 5xx or a 429 was retried').toBe(true);
    expect(retried.some((m) => m.includes(`request timed out (${clientTimeoutMs} ms)`)), 'a hung request timed out and was retried').toBe(true);
    const ordersPerClientId = new Map<string, Set<number>>();
    for (const f of sim.fills()) ordersPerClientId.set(f.clientOrderId, (ordersPerClientId.get(f.clientOrderId) ?? new Set()).add(f.orderId));
    expect([...ordersPerClientId.values()].every((ids) => ids.size === 1)).toBe(true);
    expectCompleteJournal(report.id);
  });

  it('ends flat while the strategy loop holds the lock and never lets go', async () => {
    const adapter = await venueWithAdapter();
    openTen();
    const lock = new ExecutionLock();
    const loop = await lock.acquire('strategy loop');
    const report = await flattener(adapter, { lock, halt: () => new Promise(() => undefined) }).flatten('acceptance with a stuck loop');
    expect(report.flat).toBe(true);
    expect(openPositions()).toEqual([]);
    expect(() => loop.assertHeld()).toThrow(LockRevokedError);
    expectCompleteJournal(report.id);
  });

  it('closes a position opened outside the app, straight on the venue', async () => {
    const adapter = await venueWithAdapter();
    const outsider = restClient(venue);
    await outsider.loadMarkets();
    await outsider.setLeverage(3, 'SOL/USDT:USDT');
    await outsider.createOrder('SOL/USDT:USDT', 'market', 'sell', 7);
    const mark = sim.mark('SOL/USDT:USDT').markPrice;
    await outsider.createOrder('SOL/USDT:USDT', 'market', 'buy', 7, undefined, { stopLossPrice: roundToTick(mark * 1.2, 0.01), reduceOnly: true });
    await outsider.createOrder('ETH/USDT:USDT', 'limit', 'buy', 0.5, roundToTick(sim.mark('ETH/USDT:USDT').markPrice * 0.7, 0.01));
    expect(openPositions().map((p) => [p.symbol, p.positionAmt])).toEqual([['SOL/USDT:USDT', -7]]);
    expect(sim.openOrders(undefined, 'all')).toHaveLength(2);

    const report = await flattener(adapter).flatten('acceptance: a foreign position');
    expect(report.flat).toBe(true);
    expect(report.symbols.find((s) => s.symbol === 'SOL/USDT:USDT')).toMatchObject({ status: 'flat', closedContracts: 7, ordersCancelled: 1 });
    expect(report.symbols.find((s) => s.symbol === 'ETH/USDT:USDT')).toMatchObject({ status: 'flat', closedContracts: 0, ordersCancelled: 1 });
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    expectCompleteJournal(report.id);
  });

  it('closes a USDC-margined position opened by hand on a market the cockpit does not list, building its rounding on demand', async () => {
    const adapter = await venueWithAdapter(undefined, 3_000, true);
    expect(adapter.market('BTC/USDT:USDT').settle).toBe('USDT');
    expect(() => adapter.market('BTC/USDC:USDC')).toThrow(/Unknown market/);
    const size = openProtectedPosition(sim, 'BTC/USDC:USDC', 'long', 20_000);
    openProtectedPosition(sim, 'ETH/USDT:USDT', 'short');
    const report = await flattener(adapter).flatten('unlisted market');
    expect(report, report.remaining.join('; ')).toMatchObject({ flat: true, attempts: 1, remaining: [] });
    expect(report.symbols.find((s) => s.symbol === 'BTC/USDC:USDC')).toMatchObject({ status: 'flat', closedContracts: size, ordersCancelled: 2 });
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    expect(() => adapter.market('BTC/USDC:USDC'), 'still not listed for trading').toThrow(/Unknown market/);
    expectCompleteJournal(report.id);
  });

  it('cancels a crowded symbol, conditional orders included, with one cancel-all in one round, and reports the six it cancelled', async () => {
    const adapter = await venueWithAdapter();
    const btc = 'BTC/USDT:USDT';
    const size = openProtectedPosition(sim, btc, 'long');
    const mark = sim.mark(btc).markPrice;
    const price = (f: number) => roundToTick(mark * f, sim.market(btc).tickSize);
    sim.placeOrder({ symbol: btc, side: 'SELL', type: 'STOP_MARKET', stopPrice: price(0.95), quantity: size, reduceOnly: true, workingType: 'mark' });
    sim.placeOrder({ symbol: btc, side: 'SELL', type: 'TAKE_PROFIT_MARKET', stopPrice: price(1.05), quantity: size, reduceOnly: true, workingType: 'mark' });
    for (const f of [0.8, 0.85]) sim.placeOrder({ symbol: btc, side: 'BUY', type: 'LIMIT', quantity: size, price: price(f), timeInForce: 'GTC' });
    openProtectedPosition(sim, 'ETH/USDT:USDT', 'short');
    expect(sim.openOrders(btc, 'conditional')).toHaveLength(4);
    expect(sim.openOrders(btc, 'normal')).toHaveLength(2);

    const report = await flattener(adapter).flatten('acceptance: a crowded book');
    expect(report).toMatchObject({ flat: true, attempts: 1, remaining: [] });
    expect(data(entries('flatten.round')[0]!).cancels).toEqual(
      expect.arrayContaining([{ symbol: btc, all: true }, { symbol: 'ETH/USDT:USDT', orders: expect.any(Array) }]),
    );
    expect(report.symbols.map((s) => [s.symbol, s.ordersCancelled, s.closedContracts > 0]).sort()).toEqual([
      [btc, 6, true],
      ['ETH/USDT:USDT', 2, true],
    ]);
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    expectCompleteJournal(report.id);
  });

  it('the `flatten` command of a running engine, with the engine busy on its streams, ends flat', async () => {
    sim = createTenMarketExchange({ seed: 22 });
    const v = await startVenue({ exchange: sim, latencyMs: 2 });
    closers.push(() => v.close());
    tenMarkets().markets.slice(0, 6).forEach((m, i) => openProtectedPosition(sim, m.symbol, i % 2 ? 'short' : 'long'));
    const { engine } = venueEngine(v, { settings: (s) => ({ ...s, symbols: tenMarkets().markets.map((m) => m.symbol) }) });
    closers.push(() => engine.stop());
    await engine.start();
    await waitFor(() => engine.trading.book.positionViews().length === 6, 'the engine to adopt the positions it did not open');
    expect(engine.trading.book.positionViews().every((p) => p.origin === 'manual')).toBe(true);

    const report = await engine.handlers.flatten({ reason: 'acceptance: running engine' });
    expect(report).toMatchObject({ flat: true, remaining: [] });
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    await waitFor(() => engine.trading.book.positionViews().length === 0 && engine.trading.book.openOrders().length === 0, 'the engine to see the account flat');
  });
});

/** A strategy whose every evaluation never resolves, counting the evaluations it was asked for. */
function neverResolving() {
  const calls = { started: 0 };
  const build = (settings: StrategySettings): Strategy => ({
    id: settings.id,
    label: 'never resolves',
    timeframe: settings.timeframe,
    warmup: 0,
    forSymbol: () => ({
      onCandle: () => {
        calls.started += 1;
        return new Promise(() => undefined);
      },
    }),
  });
  return { build, calls };
}

describe('the `flatten` command of a running engine in live mode against the venue', () => {
  const SYMBOLS = tenMarkets().markets.map((m) => m.symbol);

  async function runningEngine(venueOptions: { latencyMs?: number; faults?: string }, options: Pick<VenueEngineOptions, 'trading' | 'adapter'> = {}) {
    const v = await startVenue({ exchange: sim, latencyMs: 2, ...venueOptions });
    closers.push(() => v.close());
    const { engine, journal } = venueEngine(v, { settings: (s) => ({ ...s, symbols: SYMBOLS }), ...options });
    closers.push(() => engine.stop());
    await engine.start();
    return { v, engine, journal };
  }

  it('ends flat while a strategy evaluation never resolves and an approval is stuck mid-request on a slow venue', async () => {
    sim = createTenMarketExchange({ seed: 23 });
    SYMBOLS.slice(1, 4).forEach((symbol, i) => openProtectedPosition(sim, symbol, i % 2 ? 'short' : 'long'));
    const strategy = neverResolving();
    // Every request takes 150 ms; an entry takes 1.5 s more to reach the venue's matching, so it lands after the flatten's first looks.
    const slowEntries = (adapter: ExchangeAdapter): ExchangeAdapter => ({
      ...adapter,
      createOrder: async (request) => {
        if (/-e-\d+$/.test(request.clientOrderId)) await new Promise((resolve) => setTimeout(resolve, 1_500));
        return adapter.createOrder(request);
      },
    });
    const { engine, journal } = await runningEngine({ latencyMs: 150 }, { trading: { buildStrategy: strategy.build }, adapter: slowEntries });
    await waitFor(() => strategy.calls.started > 0, 'the strategy to be evaluating');
    await waitFor(() => engine.trading.book.positionViews().length === 3, 'the engine to see the positions opened outside it');

    const btc = SYMBOLS[0]!;
    const last = sim.mark(btc).lastPrice;
    const proposal = await engine.handlers['proposal.create']({ symbol: btc, side: 'long', stop: last * 0.985, takeProfit: last * 1.03, leverage: 5 });
    const entryId = `ck-${proposal.id}-e-1`;
    const approval = engine.handlers['proposal.approve']({ id: proposal.id }).then(
      () => 'approved',
      (error: Error) => error.message,
    );
    const sentEntry = (e: JournalEntry) => e.type === 'order.request' && data(e).request?.clientOrderId === entryId;
    await waitFor(() => journal().some(sentEntry), 'the approval to send its entry');

    const report = await engine.handlers.flatten({ reason: 'acceptance: stuck strategy, approval in flight' });
    expect(report, report.remaining.join('; ')).toMatchObject({ flat: true, remaining: [] });
    expect(await approval).toMatch(/pre-empted by the emergency flatten/);
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);

    const entries = journal();
    const flattenStart = entries.findIndex((e) => e.type === 'flatten.start');
    const answered = (e: JournalEntry) => e.type === 'order.response' && data(e).order?.clientOrderId === entryId;
    expect(entries.findIndex(sentEntry)).toBeLessThan(flattenStart);
    expect(entries.slice(0, flattenStart).some(answered), 'the entry was still unanswered when the flatten began').toBe(false);
    expect(entries.findIndex((e) => e.type === 'flatten.stragglers'), 'the flatten waited for the entry in flight').toBeGreaterThan(flattenStart);
    expect(sim.fills().filter((f) => f.clientOrderId === entryId), 'the stuck entry landed, and the flatten closed it too').not.toEqual([]);
    expect(engine.trading.proposals.get(proposal.id)).toMatchObject({ status: 'failed', statusReason: 'Pre-empted by the emergency flatten' });
    expect(engine.trading.runner.halted).toBe(true);
    expect(strategy.calls.started).toBeGreaterThan(0);
  }, 30_000);

  it('ends flat over REST while the user-data and market streams are down', async () => {
    sim = createTenMarketExchange({ seed: 24 });
    SYMBOLS.slice(0, 3).forEach((symbol, i) => openProtectedPosition(sim, symbol, i % 2 ? 'short' : 'long'));
    // Every frame the venue would push drops its connection instead: nothing reaches the engine by stream.
    const { engine, journal } = await runningEngine({ faults: 'wsdrop=1' });
    await waitFor(() => journal().some((e) => e.type === 'connection.lost'), 'the streams to drop');
    expect(engine.trading.connectionState().state).toBe('reconnecting');
    SYMBOLS.slice(3, 5).forEach((symbol) => openProtectedPosition(sim, symbol, 'long'));
    expect(engine.trading.book.positionViews().map((p) => p.symbol).sort(), 'the engine knows only what REST told it at start').toEqual(SYMBOLS.slice(0, 3).sort());

    const report = await engine.handlers.flatten({ reason: 'acceptance: streams down' });
    expect(report, report.remaining.join('; ')).toMatchObject({ flat: true, remaining: [] });
    expect(report.symbols.map((s) => s.symbol).sort()).toEqual(SYMBOLS.slice(0, 5).sort());
    expect(openPositions()).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    expect(journal().some((e) => e.type === 'connection.restored'), 'no stream came back meanwhile').toBe(false);
  }, 30_000);
});
