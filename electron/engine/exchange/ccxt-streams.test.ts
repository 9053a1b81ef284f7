import { describe, expect, it } from 'vitest';
import type { ExchangeStreamEvent, StreamSubscription } from './adapter';
import { createCcxtAdapter, type CcxtExchange } from './ccxt-adapter';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

/**
 * One ccxt.pro watch as it behaves: every caller waiting at once gets the same future,
 * which the stream's next message resolves for all of them.
 */
function sharedWatch<T>() {
  let pending: { promise: Promise<T>; resolve: (value: T) => void } | null = null;
  const watch = {
    callers: 0,
    next: () => {
      watch.callers += 1;
      if (!pending) {
        let resolve!: (value: T) => void;
        pending = { promise: new Promise<T>((r) => (resolve = r)), resolve };
      }
      return pending.promise;
    },
    push: (value: T) => {
      const resolving = pending;
      pending = null;
      resolving?.resolve(value);
    },
  };
  return watch;
}

const trade = (id: string, clientOrderId = `ck-s-e-${id}`) => ({
  id,
  order: `o-${id}`,
  symbol: BTC,
  side: 'buy',
  price: 60_000,
  amount: 0.01,
  timestamp: 1_700_000_000_000,
  fee: { cost: 0.24 },
  info: { c: clientOrderId, rp: '0' },
});

/** A live adapter with keys whose ccxt.pro streams are scripted: nothing leaves the process. */
function scriptedAdapter() {
  const adapter = createCcxtAdapter({ exchange: 'binanceusdm', credentials: { apiKey: 'k'.repeat(16), apiSecret: 's'.repeat(16) }, exchangeUrl: 'http://127.0.0.1:9' });
  const exchange = adapter.exchange;
  const streams = {
    trades: sharedWatch<unknown[]>(),
    orders: sharedWatch<unknown[]>(),
    positions: sharedWatch<unknown[]>(),
    balance: sharedWatch<unknown>(),
    marks: new Map<string, ReturnType<typeof sharedWatch<Record<string, unknown>>>>(),
    candles: sharedWatch<unknown>(),
  };
  let snapshots = 0;
  exchange.watchMyTrades = streams.trades.next as unknown as CcxtExchange['watchMyTrades'];
  exchange.watchOrders = streams.orders.next as unknown as CcxtExchange['watchOrders'];
  exchange.watchPositions = streams.positions.next as unknown as CcxtExchange['watchPositions'];
  exchange.watchBalance = streams.balance.next as unknown as CcxtExchange['watchBalance'];
  exchange.watchOHLCVForSymbols = streams.candles.next as unknown as CcxtExchange['watchOHLCVForSymbols'];
  exchange.watchMarkPrices = ((symbols: string[]) => {
    const key = symbols.join(',');
    if (!streams.marks.has(key)) streams.marks.set(key, sharedWatch());
    return streams.marks.get(key)!.next();
  }) as unknown as CcxtExchange['watchMarkPrices'];
  exchange.fetchPositions = (async () => {
    snapshots += 1;
    return [];
  }) as CcxtExchange['fetchPositions'];
  return { adapter, streams, snapshots: () => snapshots };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const fillsIn = (events: ExchangeStreamEvent[]) => events.flatMap((e) => (e.type === 'fill' ? [e.fill.clientOrderId] : []));

describe('the live adapter’s streams across a resubscribe', () => {
  const watched: StreamSubscription = { symbols: [BTC], timeframes: ['1m'], marks: [BTC] };
  const withEth: StreamSubscription = { symbols: [BTC], timeframes: ['1m'], marks: [BTC, ETH] };

  it('emits nothing a stopped subscription’s pending watch returns after the stop', async () => {
    const { adapter, streams } = scriptedAdapter();
    const events: ExchangeStreamEvent[] = [];
    const stop = adapter.subscribe(watched, (event) => events.push(event));
    await settle();
    stop();
    streams.trades.push([trade('1')]);
    streams.orders.push([{ id: 'o-1', clientOrderId: 'ck-s-e-1', symbol: BTC, side: 'buy', type: 'market', status: 'closed', amount: 0.01, filled: 0.01 }]);
    streams.marks.get(BTC)!.push({ [BTC]: { symbol: BTC, markPrice: 60_000, timestamp: 1 } });
    await settle();
    expect(events).toEqual([]);
  });

  it('emits a fill once when the marks change while the fill is on its way (both subscriptions waited on the same watch)', async () => {
    const { adapter, streams } = scriptedAdapter();
    const events: ExchangeStreamEvent[] = [];
    const stopFirst = adapter.subscribe(watched, (event) => events.push(event));
    await settle();
    stopFirst();
    const stop = adapter.subscribe(withEth, (event) => events.push(event));
    await settle();
    streams.trades.push([trade('1')]);
    await settle();
    streams.trades.push([trade('2')]);
    await settle();
    stop();
    expect(fillsIn(events)).toEqual(['ck-s-e-1', 'ck-s-e-2']);
  });

  it('keeps the account streams and the candles running when only the marks change, and watches the new marks', async () => {
    const { adapter, streams, snapshots } = scriptedAdapter();
    const stopFirst = adapter.subscribe(watched, () => undefined);
    await settle();
    const before = { trades: streams.trades.callers, orders: streams.orders.callers, positions: streams.positions.callers, balance: streams.balance.callers, candles: streams.candles.callers, snapshots: snapshots() };
    stopFirst();
    const stop = adapter.subscribe(withEth, () => undefined);
    await settle();
    stop();
    expect({ trades: streams.trades.callers, orders: streams.orders.callers, positions: streams.positions.callers, balance: streams.balance.callers, candles: streams.candles.callers, snapshots: snapshots() }).toEqual(before);
    expect(before).toEqual({ trades: 1, orders: 1, positions: 1, balance: 1, candles: 1, snapshots: 1 });
    expect([...streams.marks.keys()]).toEqual([BTC, `${BTC},${ETH}`]);
  });

  it('hands the updates of a kept stream to the new subscription, and the old marks’ last update to nobody', async () => {
    const { adapter, streams } = scriptedAdapter();
    const first: ExchangeStreamEvent[] = [];
    const second: ExchangeStreamEvent[] = [];
    const stopFirst = adapter.subscribe(watched, (event) => first.push(event));
    await settle();
    stopFirst();
    const stop = adapter.subscribe(withEth, (event) => second.push(event));
    await settle();
    streams.marks.get(BTC)!.push({ [BTC]: { symbol: BTC, markPrice: 60_000, timestamp: 1 } });
    streams.marks.get(`${BTC},${ETH}`)!.push({ [ETH]: { symbol: ETH, markPrice: 3_000, timestamp: 1 } });
    streams.positions.push([]);
    await settle();
    stop();
    expect(first).toEqual([]);
    expect(second.filter((e) => e.type === 'ticker').map((e) => (e.type === 'ticker' ? e.ticker.symbol : null))).toEqual([ETH]);
    expect(second.filter((e) => e.type === 'positions')).toHaveLength(1);
  });

  it('never brings back a position a REST look no longer reports, when the stream never sent its close', async () => {
    const { adapter, streams } = scriptedAdapter();
    const events: ExchangeStreamEvent[] = [];
    const stop = adapter.subscribe(watched, (event) => events.push(event));
    await settle();
    const raw = (symbol: string, side: 'long' | 'short', contracts: number) => ({ symbol, side, contracts, notional: contracts * 1_000, leverage: 5, entryPrice: 1_000, markPrice: 1_000, marginMode: 'cross' });
    streams.positions.push([raw(ETH, 'short', 0.5)]);
    await settle();
    await adapter.fetchPositions();
    streams.positions.push([raw(BTC, 'long', 0.01)]);
    await settle();
    stop();
    const last = events.filter((e) => e.type === 'positions').at(-1);
    expect(last?.type === 'positions' ? last.positions.map((p) => p.symbol) : null).toEqual([BTC]);
  });

  it('drops a fill the trade stream hands over again (same trade id)', async () => {
    const { adapter, streams } = scriptedAdapter();
    const events: ExchangeStreamEvent[] = [];
    const stop = adapter.subscribe(watched, (event) => events.push(event));
    await settle();
    streams.trades.push([trade('7')]);
    await settle();
    streams.trades.push([trade('7'), trade('8')]);
    await settle();
    stop();
    expect(fillsIn(events)).toEqual(['ck-s-e-7', 'ck-s-e-8']);
  });

  it('starts the account streams afresh for a subscription after every earlier one stopped and its loops ended', async () => {
    const { adapter, streams, snapshots } = scriptedAdapter();
    adapter.subscribe(watched, () => undefined)();
    await settle();
    streams.trades.push([trade('1')]);
    streams.positions.push([]);
    await settle();
    const events: ExchangeStreamEvent[] = [];
    const stop = adapter.subscribe(watched, (event) => events.push(event));
    await settle();
    expect(streams.trades.callers).toBe(2);
    expect(snapshots()).toBe(2);
    streams.trades.push([trade('2')]);
    await settle();
    stop();
    expect(fillsIn(events)).toEqual(['ck-s-e-2']);
  });

  it('reports a failing stream as reconnecting until it answers, and tells a subscription that takes over the loops it is connected', async () => {
    const { adapter, streams } = scriptedAdapter();
    const states = (events: ExchangeStreamEvent[]) => events.flatMap((e) => (e.type === 'connection' ? [e.state] : []));
    let failures = 1;
    const watchBalance = streams.balance.next;
    adapter.exchange.watchBalance = (() => (failures-- > 0 ? Promise.reject(new Error('socket closed')) : watchBalance())) as unknown as CcxtExchange['watchBalance'];
    const first: ExchangeStreamEvent[] = [];
    const stopFirst = adapter.subscribe(watched, (event) => first.push(event));
    await settle();
    expect(first).toEqual([{ type: 'connection', state: 'reconnecting', detail: 'balance: socket closed' }]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    streams.balance.push({ info: {}, USDT: { free: 1, used: 0, total: 1 } });
    await settle();
    expect(states(first)).toEqual(['reconnecting', 'connected']);
    stopFirst();
    const second: ExchangeStreamEvent[] = [];
    const stop = adapter.subscribe(withEth, (event) => second.push(event));
    await settle();
    streams.trades.push([trade('1')]);
    await settle();
    stop();
    expect(states(second)).toEqual(['connected']);
    expect(states(first)).toEqual(['reconnecting', 'connected']);
  });
});
