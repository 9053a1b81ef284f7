import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPaperFeed } from '../sim/feeds/feed-choice';
import { createPerSymbolFeed } from '../sim/feeds/per-symbol';
import { createReplayFeed } from '../sim/feeds/replay';
import { createSyntheticFeed } from '../sim/feeds/synthetic';
import type { ExchangeStreamEvent, OrderRequest } from './adapter';
import { AmbiguousOrderError, DuplicateClientOrderIdError, InsufficientMarginError, OrderNotFoundError, OrderRejectedError, TemporaryExchangeError } from './errors';
import { createPaperAdapter, toExchangeError, type PaperAdapterOptions } from './paper-adapter';
import { SimError, type PriceFeed } from '../sim/types';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const T0 = Date.UTC(2024, 0, 1, 1, 0, 0);
const MINUTE = 60_000;
const HOUR = 3_600_000;
/** The paper core's warm-up: 500 one-minute bars before the start, where a replay's first bar lands. */
const WARMUP_START = T0 - 500 * MINUTE;

/** `count` flat hourly bars at `price` from a day in 2023, with a funding rate on the bars named in `funding`. */
function hourlyBars(count: number, price: number, funding: Record<number, number> = {}) {
  const from = Date.UTC(2023, 5, 1);
  return Array.from({ length: count }, (_, i) => ({ time: from + i * HOUR, open: price, high: price, low: price, close: price, volume: 50, fundingRate: funding[i] }));
}

/** A paper adapter on a hand-moved price, with time moved by hand. */
function paper(options: PaperAdapterOptions = {}) {
  const prices: Record<string, number> = { [BTC]: 50_000, [ETH]: 3_000, 'SOL/USDT:USDT': 100, 'XRP/USDT:USDT': 0.5 };
  const feed: PriceFeed = { next: (symbol) => ({ price: prices[symbol]!, volume: 5 }) };
  const adapter = createPaperAdapter({ now: () => T0, feed, manualClock: true, ...options });
  const move = (symbol: string, price: number) => {
    prices[symbol] = price;
    adapter.sim.advanceTo(adapter.sim.now() + adapter.sim.tickMs());
  };
  return { adapter, move };
}

const order = (request: Partial<OrderRequest> & Pick<OrderRequest, 'type' | 'side' | 'clientOrderId'>): OrderRequest => ({
  symbol: BTC,
  amount: 0.1,
  reduceOnly: false,
  ...request,
});

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

afterEach(() => {
  vi.useRealTimers();
});

describe('paper adapter', () => {
  it('says what it is: paper, with Binance-like capabilities', async () => {
    const { adapter } = paper();
    expect(adapter.id).toBe('paper');
    expect(adapter.mode).toBe('paper');
    expect(adapter.capabilities).toMatchObject({ separateConditionalOrders: true, markPriceTriggers: true, maxClientOrderIdLength: 36, liquidationFormula: 'binanceusdm' });
    const markets = await adapter.loadMarkets();
    expect(markets.map((m) => m.symbol)).toEqual([BTC, ETH, 'SOL/USDT:USDT', 'XRP/USDT:USDT']);
    expect(() => adapter.market('DOGE/USDT:USDT')).toThrow(/Unknown market/);
  });

  it('starts its clock at the start time asked for, else at the wall clock, and its funding payments follow the settlements', async () => {
    const settlement = Date.UTC(2026, 0, 1, 8);
    const early = createPaperAdapter({ manualClock: true, now: () => Date.UTC(2030, 0, 1), startTime: settlement - 30_000 });
    expect(early.sim.now()).toBe(settlement - 30_000);
    expect(createPaperAdapter({ manualClock: true, now: () => Date.UTC(2030, 0, 1, 0, 0, 5) }).sim.now()).toBe(Date.UTC(2030, 0, 1, 0, 0, 5));
    await early.loadMarkets();
    await early.createOrder({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'ck-start-e-1' });
    early.sim.advanceTo(settlement + 1_000);
    const [payment] = early.sim.fundingPayments('BTC/USDT:USDT');
    expect(await early.fetchFundingPayments(settlement)).toEqual([{ symbol: 'BTC/USDT:USDT', amount: payment!.payment, time: settlement }]);
    expect(await early.fetchFundingPayments(settlement + 1)).toEqual([]);
  });

  it('rounds amounts down to the step and prices to the tick', () => {
    const { adapter } = paper();
    expect(adapter.amountToPrecision(BTC, 0.0019)).toBe(0.001);
    expect(adapter.amountToPrecision('XRP/USDT:USDT', 12.39)).toBe(12.3);
    expect(adapter.priceToPrecision(BTC, 50_000.06)).toBe(50_000.1);
    expect(adapter.priceToPrecision('XRP/USDT:USDT', 0.51234)).toBe(0.5123);
  });

  it('opens a position with a market order and protects it with separate reduce-only conditional orders on the mark price', async () => {
    const { adapter } = paper();
    await adapter.setMarginMode(BTC, 'isolated');
    await adapter.setMarginMode(BTC, 'isolated');
    await adapter.setLeverage(BTC, 5);
    const entry = await adapter.createOrder(order({ type: 'market', side: 'buy', amount: 0.1009, clientOrderId: 'e-1' }));
    expect(entry).toMatchObject({ id: expect.any(String), clientOrderId: 'e-1', type: 'market', side: 'buy', purpose: 'other', status: 'filled', amount: 0.1, filled: 0.1, conditional: false, price: null });
    expect(entry.averagePrice).toBeGreaterThan(50_000);

    const stop = await adapter.createOrder(order({ type: 'stop_market', side: 'sell', triggerPrice: 45_000.04, triggerBy: 'mark', reduceOnly: true, clientOrderId: 's-1' }));
    const takeProfit = await adapter.createOrder(order({ type: 'take_profit_market', side: 'sell', triggerPrice: 60_000, triggerBy: 'mark', reduceOnly: true, clientOrderId: 't-1' }));
    expect(stop).toMatchObject({ status: 'open', conditional: true, triggerPrice: 45_000, triggerBy: 'mark', reduceOnly: true });
    expect(takeProfit).toMatchObject({ status: 'open', conditional: true, type: 'take_profit_market' });

    const [position] = await adapter.fetchPositions();
    expect(position).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.1, leverage: 5, marginMode: 'isolated' });
    expect(position!.liquidationPrice).toBeGreaterThan(0);
    expect(position!.liquidationPrice).toBeLessThan(45_000);
    expect(position!.isolatedWallet).toBeGreaterThan(0);
    const balance = await adapter.fetchBalance();
    expect(balance.currency).toBe('USDT');
    expect(balance.walletBalance).toBeLessThan(10_000);

    expect((await adapter.fetchOpenOrders(BTC)).map((o) => o.clientOrderId)).toEqual(['s-1', 't-1']);
    expect(await adapter.fetchOrderByClientId(BTC, 't-1')).toMatchObject({ id: takeProfit.id, conditional: true });
    expect(await adapter.fetchOrderByClientId(BTC, 'never-sent')).toBeNull();
    expect(await adapter.cancelAllOrders(BTC)).toBe(2);
    expect(await adapter.fetchOpenOrders()).toEqual([]);

    const close = await adapter.createOrder(order({ type: 'market', side: 'sell', reduceOnly: true, clientOrderId: 'c-1' }));
    expect(close).toMatchObject({ status: 'filled', reduceOnly: true });
    expect(await adapter.fetchPositions()).toEqual([]);
  });

  it('a closePosition stop closes the whole position when the mark crosses it', async () => {
    const { adapter, move } = paper();
    await adapter.createOrder(order({ type: 'market', side: 'sell', clientOrderId: 'e-1' }));
    const stop = await adapter.createOrder(order({ type: 'stop_market', side: 'buy', amount: 0, closePosition: true, triggerPrice: 51_000, triggerBy: 'last', reduceOnly: true, clientOrderId: 's-1' }));
    expect(stop).toMatchObject({ closePosition: true, reduceOnly: false, conditional: true });
    move(BTC, 51_500);
    expect(await adapter.fetchOrderByClientId(BTC, 's-1')).toMatchObject({ status: 'filled', filled: 0.1 });
    expect(await adapter.fetchPositions()).toEqual([]);
  });

  it('maps exchange rejections onto the one error hierarchy, with the Binance code', async () => {
    const { adapter } = paper({ startBalance: 100 });
    const reduce = await thrown(adapter.createOrder(order({ type: 'market', side: 'sell', reduceOnly: true, clientOrderId: 'r-1' })));
    expect(reduce).toBeInstanceOf(OrderRejectedError);
    expect(reduce).toMatchObject({ code: '-2022', message: 'ReduceOnly Order is rejected.' });
    const margin = await thrown(adapter.createOrder(order({ type: 'market', side: 'buy', amount: 1, clientOrderId: 'm-1' })));
    expect(margin).toBeInstanceOf(InsufficientMarginError);
    expect(margin).toMatchObject({ code: '-2019' });
    const small = await thrown(adapter.createOrder(order({ type: 'market', side: 'buy', amount: 0.0004, clientOrderId: 'z-1' })));
    expect(small).toMatchObject({ code: '-4003' });
    const tiny = await thrown(adapter.createOrder(order({ type: 'limit', side: 'buy', amount: 0.001, price: 4_000, clientOrderId: 'n-1' })));
    expect(tiny).toBeInstanceOf(OrderRejectedError);
    expect(tiny).toMatchObject({ code: '-4164' });
    const leverage = await thrown(adapter.setLeverage(BTC, 126));
    expect(leverage).toMatchObject({ code: '-4028' });
    const missing = await thrown(adapter.cancelOrder({ id: '424242', symbol: BTC, conditional: false }));
    expect(missing).toBeInstanceOf(OrderNotFoundError);
    expect(missing).toMatchObject({ code: '-2011' });
  });

  it("an order under the client id of an open order (-4116) is refused as already placed, not as rejected, and the first is left alone", async () => {
    const { adapter } = paper();
    await adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'e-1' }));
    const stop = order({ type: 'stop_market', side: 'sell', triggerPrice: 48_000, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'sl-1' });
    await adapter.createOrder(stop);
    const again = await thrown(adapter.createOrder(stop));
    expect(again).toBeInstanceOf(DuplicateClientOrderIdError);
    expect(again).not.toBeInstanceOf(OrderRejectedError);
    expect(again).toMatchObject({ code: '-4116' });
    expect(await adapter.fetchOrderByClientId(BTC, 'sl-1')).toMatchObject({ status: 'open', triggerPrice: 48_000 });
  });

  it('treats rate limits, server errors and timestamp errors as temporary', () => {
    for (const code of [-1003, -1021, -1001, 503]) expect(toExchangeError(new SimError(code, 'x'))).toBeInstanceOf(TemporaryExchangeError);
    expect(toExchangeError(new SimError(-2013, 'x'))).toBeInstanceOf(OrderNotFoundError);
    expect(toExchangeError(new SimError(-1111, 'x'))).toBeInstanceOf(OrderRejectedError);
    const bug = new TypeError('not an exchange error');
    expect(toExchangeError(bug)).toBe(bug);
  });

  it('injects rejections before the exchange sees the request', async () => {
    for (const [spec, code] of [['429=1', '-1003'], ['5xx=1', '503'], ['1021=1', '-1021']] as const) {
      const { adapter } = paper({ faults: spec });
      const error = await thrown(adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'f-1' })));
      expect(error).toBeInstanceOf(TemporaryExchangeError);
      expect(error).not.toBeInstanceOf(AmbiguousOrderError);
      expect(error).toMatchObject({ code });
      expect(adapter.sim.fills()).toEqual([]);
    }
  });

  it('delays every request by the injected latency', async () => {
    vi.useFakeTimers();
    const { adapter } = paper({ faults: 'latency=100' });
    let settled = false;
    const pending = adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'slow-1' })).then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(false);
    expect(adapter.sim.fills()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(adapter.sim.fills()).toHaveLength(1);
  });

  it('a timeout after acceptance is ambiguous: the order exists and is found by its client id, which a resend must look up first', async () => {
    const { adapter } = paper({ faults: 'timeout=1' });
    const error = await thrown(adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'amb-1' })));
    expect(error).toBeInstanceOf(AmbiguousOrderError);
    expect(await adapter.fetchOrderByClientId(BTC, 'amb-1')).toMatchObject({ status: 'filled', filled: 0.1 });
    expect(adapter.sim.fills()).toHaveLength(1);
    await thrown(adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'amb-1' })));
    expect(adapter.sim.fills(), 'like Binance, a filled order\'s id places a new order').toHaveLength(2);
  });

  it('a hung request waits out the client timeout: a read fails as temporary, an order is accepted first and the failure is ambiguous', async () => {
    vi.useFakeTimers();
    const { adapter } = paper({ faults: 'hang=1', timeoutMs: 2_000 });
    let settled = false;
    const placing = thrown(adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'hung-1' }))).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(settled).toBe(false);
    expect(adapter.sim.fills()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await placing).toMatchObject({ name: 'AmbiguousOrderError', message: expect.stringMatching(/^Request timed out \(2000 ms\) after it was sent/) });
    const reading = thrown(adapter.fetchPositions());
    await vi.advanceTimersByTimeAsync(2_000);
    const error = await reading;
    expect(error).toBeInstanceOf(TemporaryExchangeError);
    expect(error).not.toBeInstanceOf(AmbiguousOrderError);
    expect(adapter.sim.getOrder(BTC, { clientOrderId: 'hung-1' })).toMatchObject({ status: 'FILLED' });
  });

  it('streams tickers and candles for the subscription, and every order, fill, position and balance change', async () => {
    const { adapter, move } = paper();
    const events: ExchangeStreamEvent[] = [];
    adapter.subscribe({ symbols: [BTC], timeframes: ['1m'] }, (e) => events.push(e));
    await Promise.resolve();
    expect(events).toEqual([{ type: 'connection', state: 'connected', detail: null }]);
    move(BTC, 50_100);
    expect(events.filter((e) => e.type === 'ticker').map((e) => e.type === 'ticker' && e.ticker.symbol)).toEqual([BTC]);
    expect(events.filter((e) => e.type === 'candle').map((e) => e.type === 'candle' && [e.symbol, e.timeframe])).toEqual([[BTC, '1m']]);
    await adapter.createOrder(order({ symbol: ETH, type: 'market', side: 'buy', amount: 1, clientOrderId: 'eth-1' }));
    const kinds = events.slice(-5).map((e) => e.type);
    expect(kinds).toEqual(['order', 'order', 'fill', 'positions', 'balance']);
    const positions = events.findLast((e) => e.type === 'positions');
    expect(positions).toMatchObject({ positions: [{ symbol: ETH, side: 'long', contracts: 1 }] });
  });

  it('streams mark prices, without candles, for the symbols in `marks` beyond those watched', async () => {
    const { adapter, move } = paper();
    const events: ExchangeStreamEvent[] = [];
    adapter.subscribe({ symbols: [BTC], timeframes: ['1m'], marks: [BTC, ETH] }, (e) => events.push(e));
    move(ETH, 3_010);
    expect(new Set(events.map((e) => e.type === 'ticker' && e.ticker.symbol).filter(Boolean))).toEqual(new Set([BTC, ETH]));
    expect(new Set(events.map((e) => e.type === 'candle' && e.symbol).filter(Boolean))).toEqual(new Set([BTC]));
  });

  it('reports a liquidation through the stream', async () => {
    const { adapter, move } = paper({ startBalance: 1_000 });
    const events: ExchangeStreamEvent[] = [];
    adapter.subscribe({ symbols: [], timeframes: [] }, (e) => events.push(e));
    await adapter.setLeverage(BTC, 20);
    await adapter.createOrder(order({ type: 'market', side: 'buy', amount: 0.3, clientOrderId: 'big-1' }));
    move(BTC, 45_000);
    expect(events.find((e) => e.type === 'liquidation')).toMatchObject({ type: 'liquidation', symbol: BTC, side: 'long', contracts: 0.3 });
    expect(await adapter.fetchPositions()).toEqual([]);
  });

  it('drops the stream under fault injection and says so', async () => {
    const { adapter, move } = paper({ faults: 'wsdrop=1' });
    const events: ExchangeStreamEvent[] = [];
    adapter.subscribe({ symbols: [BTC], timeframes: ['1m'] }, (e) => events.push(e));
    move(BTC, 50_100);
    await Promise.resolve();
    expect(events.some((e) => e.type === 'ticker' || e.type === 'candle')).toBe(false);
    expect(events).toContainEqual({ type: 'connection', state: 'reconnecting', detail: expect.stringMatching(/dropped/) });
  });

  it('counts request weight for the rate-limit gauge', async () => {
    const { adapter } = paper();
    expect(adapter.rateLimit()).toEqual({ used: 0, limit: 2400, windowMs: 60_000 });
    await adapter.fetchBalance();
    await adapter.fetchTicker(BTC);
    expect(adapter.rateLimit()!.used).toBe(2);
  });

  it('serves candle history at once and tickers with mark, index and funding', async () => {
    const { adapter } = paper();
    const candles = await adapter.fetchOHLCV(BTC, '1m', undefined, 100);
    expect(candles).toHaveLength(100);
    expect(candles.at(-1)!.time).toBe(T0);
    const ticker = await adapter.fetchTicker(BTC);
    expect(ticker).toMatchObject({ symbol: BTC, last: 50_000, nextFundingTime: Date.UTC(2024, 0, 1, 8, 0, 0) });
    expect(ticker.mark).toBeGreaterThan(0);
  });

  it('runs in real time from the wall clock by default, and stops on close', async () => {
    vi.useFakeTimers();
    let wall = T0;
    const adapter = createPaperAdapter({ now: () => wall });
    const start = adapter.sim.now();
    wall += 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(adapter.sim.now()).toBe(start + 1_000);
    await adapter.close();
    wall += 5_000;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(adapter.sim.now()).toBe(start + 1_000);
  });

  it('runs faster with a speed', async () => {
    vi.useFakeTimers();
    let wall = T0;
    const adapter = createPaperAdapter({ now: () => wall, speed: 60 });
    const start = adapter.sim.now();
    wall += 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(adapter.sim.now()).toBe(start + 60_000);
    await adapter.close();
  });

  it('runs as fast as possible to the end of a replay with speed max, then the clock stops there', async () => {
    vi.useFakeTimers();
    const feed = createPerSymbolFeed({ feeds: { [BTC]: createReplayFeed({ series: { [BTC]: hourlyBars(24, 50_000) } }) }, fallback: createSyntheticFeed({ seed: 1 }) });
    const adapter = createPaperAdapter({ now: () => T0, speed: 'max', tickMs: MINUTE, feed });
    await vi.runAllTimersAsync();
    expect(adapter.sim.now()).toBe(WARMUP_START + 24 * HOUR);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(adapter.sim.now()).toBe(WARMUP_START + 24 * HOUR);
    await adapter.close();
  });

  it('runs one simulated day with speed max on the endless synthetic feed, and stops instead of spinning', async () => {
    vi.useFakeTimers();
    const adapter = createPaperAdapter({ now: () => T0, speed: 'max', tickMs: MINUTE });
    await vi.runAllTimersAsync();
    expect(adapter.sim.now()).toBe(T0 + 24 * HOUR);
    expect(vi.getTimerCount()).toBe(0);
    await adapter.close();
  });

  it("settles funding at the rates of a replay file's funding_rate column", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paper-funding-'));
    try {
      const file = join(dir, 'btc.csv');
      // The file's first bar lands at the warm-up start (16:40): bar 7 at 23:40 and bar 15 at 07:40, before the 00:00 and 08:00 settlements.
      const rows = hourlyBars(24, 50_000, { 7: 0.0005, 15: -0.0012 }).map((b) => [b.time, b.open, b.high, b.low, b.close, b.volume, b.fundingRate ?? ''].join(','));
      writeFileSync(file, ['time,open,high,low,close,volume,funding_rate', ...rows].join('\n'));
      const { feed } = await openPaperFeed({ choice: { kind: 'replay', files: { [BTC]: file } }, symbols: [BTC, ETH, 'SOL/USDT:USDT', 'XRP/USDT:USDT'], seed: 1 });
      const adapter = createPaperAdapter({ now: () => T0, feed, manualClock: true, tickMs: MINUTE });
      await adapter.createOrder(order({ type: 'market', side: 'buy', clientOrderId: 'long-1' }));
      const before = adapter.sim.account().walletBalance;
      adapter.sim.advanceTo(Date.UTC(2024, 0, 1, 8, 0, 30));

      const settled = adapter.sim.fundingRates(BTC);
      expect(settled.map((f) => [f.fundingTime, f.fundingRate])).toEqual([
        [Date.UTC(2024, 0, 1, 0), 0.0005],
        [Date.UTC(2024, 0, 1, 8), -0.0012],
      ]);
      expect(adapter.sim.account().walletBalance - before).toBeCloseTo(0.1 * settled[1]!.markPrice * 0.0012, 8);
      expect(adapter.sim.fundingRates(ETH).at(-1)!.fundingRate).not.toBe(-0.0012);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
