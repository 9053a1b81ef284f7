import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenue, type Venue } from './server';
import { restClient, scriptedExchange } from './venue-fixtures';

const BTC = 'BTC/USDT:USDT';
const XRP = 'XRP/USDT:USDT';

/** The error a call fails with (the test fails if it succeeds). */
async function failure(call: () => Promise<unknown>): Promise<Error> {
  try {
    await call();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to be rejected');
}

/** Binance's code as it reached ccxt, in the raw body ccxt quotes. */
const codeOf = (error: Error) => Number(/"code":(-?\d+)/.exec(error.message)?.[1]);

describe('the venue rejects with Binance error codes, and ccxt maps them to its classes', () => {
  let venue: Venue;
  let client: ReturnType<typeof restClient>;

  beforeAll(async () => {
    venue = await startVenue({ speed: 0, exchange: scriptedExchange(() => 1) });
    client = restClient(venue);
    await client.loadMarkets();
    await client.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'long-btc' });
  });
  afterAll(async () => {
    await venue.close();
  });

  it('a bad signature: -1022', async () => {
    const forger = restClient(venue, { apiKey: venue.apiKey, secret: 'not-the-secret' });
    const error = await failure(() => forger.fetchBalance());
    expect(error).toBeInstanceOf(ccxt.AuthenticationError);
    expect(codeOf(error)).toBe(-1022);
  });

  it('an unknown API key: -2015, and no key at all: -2014', async () => {
    const stranger = restClient(venue, { apiKey: 'a'.repeat(64), secret: venue.apiSecret });
    const error = await failure(() => stranger.fetchBalance());
    expect(error).toBeInstanceOf(ccxt.AuthenticationError);
    expect(codeOf(error)).toBe(-2015);
    const response = await fetch(`${venue.url}/fapi/v2/balance?timestamp=${Date.now()}&signature=00`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ code: -2014, msg: 'API-key format invalid.' });
  });

  it('a stale timestamp, or one from the future: -1021', async () => {
    const late = restClient(venue);
    late.nonce = () => Date.now() - 60_000;
    const stale = await failure(() => late.fetchBalance());
    expect(stale).toBeInstanceOf(ccxt.InvalidNonce);
    expect(codeOf(stale)).toBe(-1021);
    const early = restClient(venue);
    early.nonce = () => Date.now() + 5_000;
    expect(codeOf(await failure(() => early.fetchBalance()))).toBe(-1021);
  });

  it('a reduce-only order that would increase the position, or flip it: -2022', async () => {
    const increase = await failure(() => client.createOrder(BTC, 'market', 'buy', 0.01, undefined, { reduceOnly: true }));
    expect(increase).toBeInstanceOf(ccxt.InvalidOrder);
    expect(codeOf(increase)).toBe(-2022);
    const flip = await failure(() => client.createOrder(BTC, 'market', 'sell', 0.02, undefined, { reduceOnly: true }));
    expect(codeOf(flip)).toBe(-2022);
    const protectNothing = await failure(() => client.createOrder(XRP, 'market', 'sell', 100, undefined, { stopLossPrice: 0.4, reduceOnly: true }));
    expect(codeOf(protectNothing)).toBe(-2022);
    const [position] = await client.fetchPositions([BTC]);
    expect(position!.contracts).toBe(0.01);
  });

  it('an amount off the step (-1111) or below the minimum notional (-4164)', async () => {
    const offStep = await failure(() => client.fapiPrivatePostOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.0005' }));
    expect(offStep).toBeInstanceOf(ccxt.BadRequest);
    expect(codeOf(offStep)).toBe(-1111);
    const tiny = await failure(() => client.createOrder(XRP, 'market', 'buy', 1));
    expect(tiny).toBeInstanceOf(ccxt.InvalidOrder);
    expect(codeOf(tiny)).toBe(-4164);
  });

  it("leverage above the market's top tier (-4028), or above what the position's tier allows (-2027)", async () => {
    const xrpMax = venue.exchange.market(XRP).maxLeverage;
    const tooHigh = await failure(() => client.setLeverage(xrpMax + 1, XRP));
    expect(tooHigh).toBeInstanceOf(ccxt.BadRequest);
    expect(codeOf(tooHigh)).toBe(-4028);

    await client.createOrder(BTC, 'market', 'buy', 0.99, undefined, { clientOrderId: 'big-btc' });
    const beyondTier = await failure(() => client.setLeverage(125, BTC));
    expect(beyondTier).toBeInstanceOf(ccxt.OperationRejected);
    expect(codeOf(beyondTier)).toBe(-2027);
    expect(venue.exchange.leverage(BTC)).toBe(20);
  });

  it('a conditional type on the normal order endpoint: -4120, as Binance since the algo-order move', async () => {
    const error = await failure(() => client.fapiPrivatePostOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', stopPrice: '50000', quantity: '0.01', reduceOnly: 'true' }));
    expect(codeOf(error)).toBe(-4120);
  });
});

describe('injected faults reach ccxt as Binance would send them', () => {
  const venues: Venue[] = [];
  const venueWith = async (faults: string) => {
    const venue = await startVenue({ speed: 0, faults, exchange: scriptedExchange(() => 1) });
    venues.push(venue);
    return venue;
  };
  afterAll(async () => {
    await Promise.all(venues.map((v) => v.close()));
  });

  it('5xx: ExchangeNotAvailable', async () => {
    const client = restClient(await venueWith('5xx=1'));
    expect(await failure(() => client.fetchTime())).toBeInstanceOf(ccxt.ExchangeNotAvailable);
  });

  it('429 with -1003: DDoSProtection (ccxt raises it for every 429, the parent of RateLimitExceeded)', async () => {
    const client = restClient(await venueWith('429=1'));
    const error = await failure(() => client.fetchTime());
    expect(error).toBeInstanceOf(ccxt.DDoSProtection);
    expect(codeOf(error)).toBe(-1003);
  });

  it('-1021 timestamp: InvalidNonce', async () => {
    const client = restClient(await venueWith('1021=1'));
    expect(await failure(() => client.fetchTime())).toBeInstanceOf(ccxt.InvalidNonce);
  });

  it('a lost response after the order was accepted: a network error, and the order exists once', async () => {
    const venue = await venueWith('timeout=1');
    const client = restClient(venue);
    await client.loadMarkets();
    const lost = await failure(() => client.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-1' }));
    expect(lost).toBeInstanceOf(ccxt.NetworkError);
    const found = await client.fetchOrder('ignored', BTC, { clientOrderId: 'lost-1' });
    expect(found).toMatchObject({ clientOrderId: 'lost-1', status: 'closed', filled: 0.01 });
    expect(venue.exchange.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0.01);
  });

  it('a hung request: held past the client timeout, so ccxt raises RequestTimeout; an order is accepted first and exists once', async () => {
    const core = scriptedExchange(() => 1);
    const hanging = await startVenue({ speed: 0, faults: 'hang=1', exchange: core });
    const clean = await startVenue({ speed: 0, exchange: core });
    venues.push(hanging, clean);
    const checker = restClient(clean);
    await checker.loadMarkets();
    const client = restClient(hanging);
    client.timeout = 300;
    client.setMarkets(checker.markets);

    const started = Date.now();
    expect(await failure(() => client.fetchBalance())).toBeInstanceOf(ccxt.RequestTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await failure(() => client.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'hung-1' }))).toBeInstanceOf(ccxt.RequestTimeout);

    expect(await checker.fetchOrder('ignored', BTC, { clientOrderId: 'hung-1' })).toMatchObject({ clientOrderId: 'hung-1', status: 'closed', filled: 0.01 });
    expect(core.fills().filter((f) => f.clientOrderId === 'hung-1')).toHaveLength(1);
    expect(core.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0.01);
  });
});
