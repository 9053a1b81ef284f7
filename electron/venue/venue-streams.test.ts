import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startVenue, type Venue } from './server';
import { proClient, SCENARIO_START, scriptedExchange } from './venue-fixtures';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const SECOND = 1_000;

/** Flat, then a 6% drop at +60 s (a 5% stop triggers), then a crash to -20% at +180 s (a 10x long is liquidated). */
const path = (time: number) => (time < SCENARIO_START + 60 * SECOND ? 1 : time < SCENARIO_START + 180 * SECOND ? 0.94 : 0.8);

/**
 * Moves the venue's clock a step at a time, letting the sockets deliver, until
 * `done` holds; gives up after `maxSteps` steps.
 */
async function advanceUntil(venue: Venue, done: () => boolean, stepMs = SECOND, maxSteps = 600): Promise<void> {
  for (let step = 0; step < maxSteps; step++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (done()) return;
    venue.advanceTo(venue.exchange.now() + stepMs);
  }
  throw new Error(`Still waiting after ${maxSteps} steps of ${stepMs} ms`);
}

/** Everything a ccxt.pro watcher returns, call after call: one call is always pending, so no update is missed. */
function collect<T>(watch: () => Promise<T[]>): T[] {
  const seen: T[] = [];
  const again = (): void => {
    watch().then(
      (batch) => {
        seen.push(...batch);
        again();
      },
      () => undefined,
    );
  };
  again();
  return seen;
}

/** The first value a watcher returns, moving the clock until it comes. */
async function first<T>(venue: Venue, watch: Promise<T>): Promise<T> {
  let value: { v: T } | undefined;
  void watch.then((v) => (value = { v }));
  await advanceUntil(venue, () => value !== undefined);
  return value!.v;
}

describe('ccxt.pro binanceusdm watchers against the venue', () => {
  let venue: Venue;
  let client: ReturnType<typeof proClient>;

  beforeAll(async () => {
    venue = await startVenue({ speed: 0, exchange: scriptedExchange(path) });
    client = proClient(venue);
    await client.loadMarkets();
  });
  afterAll(async () => {
    await client.close();
    await venue.close();
  });

  it('watches a kline stream', async () => {
    const candles = await first(venue, client.watchOHLCV(BTC, '1m'));
    const [time, open, high, low, close, volume] = candles[candles.length - 1]!;
    expect(time! % 60_000).toBe(0);
    expect([open, high, low, close]).toEqual([60_000, 60_000, 60_000, 60_000]);
    expect(volume).toBeGreaterThan(0);
  });

  it('watches the mark price stream', async () => {
    const ticker = await first(venue, client.watchMarkPrice(BTC));
    expect(ticker.symbol).toBe(BTC);
    expect(ticker.markPrice).toBeCloseTo(60_000, -1);
  });

  it('reports an order, the balance and the position through the user-data stream', async () => {
    const orders = collect(() => client.watchOrders());
    const balances = collect(async () => [await client.watchBalance()]);
    const positions = collect(() => client.watchPositions());
    await advanceUntil(venue, () => venue.connections().user > 0, 0);
    await client.createOrder(BTC, 'market', 'buy', 0.1, undefined, { clientOrderId: 'entry-btc' });
    await advanceUntil(venue, () => orders.some((o) => o.clientOrderId === 'entry-btc' && o.status === 'closed'), 0, 200);
    expect(orders.filter((o) => o.clientOrderId === 'entry-btc').at(-1)).toMatchObject({ side: 'buy', filled: 0.1, type: 'market' });
    await advanceUntil(venue, () => positions.some((p) => p.symbol === BTC && p.contracts === 0.1), 0, 200);
    expect(positions.find((p) => p.contracts === 0.1)).toMatchObject({ symbol: BTC, side: 'long' });
    await advanceUntil(venue, () => balances.length > 0, 0, 200);
    expect(balances.at(-1)!['USDT']?.total).toBeLessThan(10_000);
  });

  it('reports a stop-market that triggers: the algo order finishes and its fill closes the position', async () => {
    const orders = collect(() => client.watchOrders(BTC));
    const positions = collect(() => client.watchPositions([BTC]));
    await client.createOrder(BTC, 'market', 'sell', 0.1, undefined, { stopLossPrice: 57_000, reduceOnly: true, clientOrderId: 'sl-btc' });
    await advanceUntil(venue, () => orders.some((o) => o.clientOrderId === 'sl-btc' && o.status === 'closed'));
    const stop = orders.filter((o) => o.clientOrderId === 'sl-btc').at(-1)!;
    expect(stop).toMatchObject({ side: 'sell', filled: 0.1, reduceOnly: true });
    expect(stop.average).toBeCloseTo(56_400, -2);
    expect(venue.exchange.now()).toBeGreaterThanOrEqual(SCENARIO_START + 60 * SECOND);
    await advanceUntil(venue, () => positions.some((p) => p.contracts === 0), 0, 200);
    expect(positions.at(-1)).toMatchObject({ symbol: BTC, contracts: 0 });
  });

  it('reports a liquidation: an autoclose order of type LIQUIDATION at the bankruptcy price', async () => {
    await client.setMarginMode('isolated', ETH);
    await client.setLeverage(10, ETH);
    await client.createOrder(ETH, 'market', 'buy', 1, undefined, { clientOrderId: 'entry-eth' });
    const liquidations = collect(() => client.watchMyLiquidations(ETH));
    await advanceUntil(venue, () => liquidations.length > 0, 10 * SECOND);
    expect(venue.exchange.now()).toBeGreaterThanOrEqual(SCENARIO_START + 180 * SECOND);
    expect(liquidations[0]).toMatchObject({ symbol: ETH, contracts: 1, side: 'sell' });
    const bankruptcy = venue.exchange.fills(ETH).at(-1)!;
    expect(bankruptcy.clientOrderId).toMatch(/^autoclose-/);
    expect(liquidations[0]!.price).toBeCloseTo(bankruptcy.price, 1);
    expect(venue.exchange.positions().find((p) => p.symbol === ETH)!.positionAmt).toBe(0);
  });
});

describe('the stream protocol', () => {
  let venue: Venue;
  beforeAll(async () => {
    venue = await startVenue({ speed: 0, exchange: scriptedExchange(() => 1) });
  });
  afterAll(async () => {
    await venue.close();
  });

  const open = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const next = (ws: WebSocket) => new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(data.toString()))));

  it('answers SUBSCRIBE with {result: null, id}, lists subscriptions, and refuses unknown streams', async () => {
    const ws = await open(`${venue.wsUrl}/market/ws`);
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m', 'ethusdt@markPrice'], id: 1 }));
    expect(await next(ws)).toEqual({ result: null, id: 1 });
    ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 2 }));
    expect(await next(ws)).toEqual({ result: ['btcusdt@kline_1m', 'ethusdt@markprice'], id: 2 });
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@depth'], id: 3 }));
    expect(await next(ws)).toMatchObject({ error: { code: 2 }, id: 3 });
    ws.close();
  });

  it('wraps combined streams as {stream, data}', async () => {
    const ws = await open(`${venue.wsUrl}/stream?streams=btcusdt@markPrice`);
    const message = next(ws);
    venue.advanceTo(venue.exchange.now() + SECOND);
    expect(await message).toMatchObject({ stream: 'btcusdt@markprice', data: { e: 'markPriceUpdate', s: 'BTCUSDT' } });
    ws.close();
  });

  it('sends a kline\'s quote volume: at a flat 60,000 it is the volume times 60,000', async () => {
    const ws = await open(`${venue.wsUrl}/ws/btcusdt@kline_1m`);
    const message = next(ws) as Promise<{ k: { v: string; q: string } }>;
    venue.advanceTo(venue.exchange.now() + SECOND);
    const { k } = await message;
    expect(Number(k.v)).toBeGreaterThan(0);
    expect(k.q).toBe((Number(k.v) * 60_000).toFixed(8));
    ws.close();
  });

  it('refuses a user-data connection without a valid listenKey', async () => {
    await expect(open(`${venue.wsUrl}/private/ws?listenKey=nope`)).rejects.toThrow(/400/);
  });

  it('drops the connection when the fault injector says so', async () => {
    const faulty = await startVenue({ speed: 0, faults: 'wsdrop=1', exchange: scriptedExchange(() => 1) });
    const ws = await open(`${faulty.wsUrl}/market/ws`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: 1 }));
    expect(await closed).toBe(1006);
    await faulty.close();
  });

  it('ccxt.pro sees a dropped socket as a network error', async () => {
    const faulty = await startVenue({ speed: 0, faults: 'wsdrop=1', exchange: scriptedExchange(() => 1) });
    const client = proClient(faulty);
    await client.loadMarkets();
    await expect(client.watchOHLCV(BTC, '1m')).rejects.toBeInstanceOf(ccxt.NetworkError);
    await client.close();
    await faulty.close();
  });
});
