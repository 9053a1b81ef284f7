import { afterEach, describe, expect, it } from 'vitest';
import { startVenue, type Venue } from '../../venue/server';
import { createCcxtAdapter } from './ccxt-adapter';
import { TemporaryExchangeError } from './errors';

let closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close();
  closers = [];
});

describe('the live adapter against the venue', () => {
  it('loads the markets on a later try after a first try failed (ccxt would keep answering its first failure)', async () => {
    const keys = { apiKey: 'venue-key', apiSecret: 'venue-secret' };
    const failing: Venue = await startVenue({ speed: 0, faults: '5xx=1', ...keys });
    const port = Number(new URL(failing.url).port);
    const adapter = createCcxtAdapter({
      exchange: 'binanceusdm',
      credentials: keys,
      exchangeUrl: failing.url,
      enableRateLimit: false,
      timeoutMs: 3_000,
    });
    closers.push(() => adapter.close());
    await expect(adapter.loadMarkets()).rejects.toBeInstanceOf(TemporaryExchangeError);
    await failing.close();

    const answering = await startVenue({ speed: 0, port, ...keys });
    closers.push(() => answering.close());
    expect((await adapter.loadMarkets()).map((m) => m.symbol)).toContain('BTC/USDT:USDT');
    expect(adapter.market('BTC/USDT:USDT').symbol).toBe('BTC/USDT:USDT');
  });
});

/** The live adapter, markets loaded, on a fresh venue; both are closed after the test. */
async function adapterOnVenue() {
  const keys = { apiKey: 'venue-key', apiSecret: 'venue-secret' };
  const venue = await startVenue({ speed: 0, ...keys });
  closers.push(() => venue.close());
  const adapter = createCcxtAdapter({ exchange: 'binanceusdm', credentials: keys, exchangeUrl: venue.url, enableRateLimit: false, timeoutMs: 3_000 });
  closers.push(() => adapter.close());
  await adapter.loadMarkets();
  return adapter;
}

describe("the account's earlier fills", () => {
  it('come from the exchange through ccxt in the cockpit’s terms, and those before `since` are left out', async () => {
    const adapter = await adapterOnVenue();
    const BTC = 'BTC/USDT:USDT';
    const order = await adapter.createOrder({ symbol: BTC, side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'ck-fills1-e-1' });

    const fills = await adapter.fetchFills(BTC, 0);

    expect(fills).toHaveLength(1);
    expect(fills[0]).toMatchObject({ orderId: order.id, symbol: BTC, side: 'buy', amount: 0.01, price: order.averagePrice });
    expect(fills[0]!.fee).toBeGreaterThan(0);
    expect(await adapter.fetchFills(BTC, fills[0]!.time + 1)).toEqual([]);
  });
});

describe("the account's funding payments", () => {
  it('come from the income history (FUNDING_FEE) through ccxt fetchFundingHistory, with those before `since` left out', async () => {
    const keys = { apiKey: 'venue-key', apiSecret: 'venue-secret' };
    const settlement = (Math.floor(Date.now() / (8 * 3_600_000)) + 1) * 8 * 3_600_000;
    const venue = await startVenue({ speed: 0, startTime: settlement - 60_000, ...keys });
    closers.push(() => venue.close());
    const adapter = createCcxtAdapter({ exchange: 'binanceusdm', credentials: keys, exchangeUrl: venue.url, enableRateLimit: false, timeoutMs: 3_000 });
    closers.push(() => adapter.close());
    await adapter.loadMarkets();
    const BTC = 'BTC/USDT:USDT';
    await adapter.createOrder({ symbol: BTC, side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'ck-funding1-e-1' });
    venue.advanceTo(settlement + 1_000);

    const payments = await adapter.fetchFundingPayments(0);

    const [booked] = venue.exchange.fundingPayments(BTC);
    expect(booked).toBeDefined();
    expect(payments).toEqual([{ symbol: BTC, amount: expect.closeTo(booked!.payment, 8), time: settlement }]);
    expect(await adapter.fetchFundingPayments(settlement + 1)).toEqual([]);
  });
});

describe('isolated margin through the live adapter', () => {
  it('adds and removes margin on the venue (POST /fapi/v1/positionMargin) and answers with the amount moved; the exchange’s refusal is thrown', async () => {
    const adapter = await adapterOnVenue();
    const BTC = 'BTC/USDT:USDT';
    await adapter.setMarginMode(BTC, 'isolated');
    await adapter.createOrder({ symbol: BTC, side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'ck-margin1-e-1' });
    const wallet = async () => (await adapter.fetchPositions()).find((p) => p.symbol === BTC)!.isolatedWallet;
    const before = await wallet();

    expect(await adapter.modifyMargin(BTC, 25, 'add')).toBe(25);
    expect(await wallet()).toBeCloseTo(before + 25, 6);
    expect(await adapter.modifyMargin(BTC, 5, 'reduce')).toBe(5);
    expect(await wallet()).toBeCloseTo(before + 20, 6);
    await expect(adapter.modifyMargin(BTC, 10_000, 'reduce')).rejects.toThrow(/Isolated balance insufficient/);
  });
});
