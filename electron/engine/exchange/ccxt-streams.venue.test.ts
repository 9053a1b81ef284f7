import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startVenue, type Venue } from '../../venue/server';
import type { Fill } from '../../../shared/domain';
import { waitFor } from '../testing/venue-engine';
import type { ExchangeAdapter, ExchangePosition, ExchangeStreamEvent } from './adapter';
import { createCcxtAdapter } from './ccxt-adapter';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const XRP = 'XRP/USDT:USDT';
const SOL = 'SOL/USDT:USDT';

describe('the live adapter’s position stream (ccxt.pro against the venue)', () => {
  let venue: Venue;
  let adapter: ExchangeAdapter;
  const lists: ExchangePosition[][] = [];
  let stop = () => {};

  beforeAll(async () => {
    venue = await startVenue({ speed: 1 });
    venue.exchange.placeOrder({ symbol: BTC, side: 'BUY', type: 'MARKET', quantity: 0.01, clientOrderId: 'outside-btc' });
    venue.exchange.placeOrder({ symbol: ETH, side: 'SELL', type: 'MARKET', quantity: 0.1, clientOrderId: 'outside-eth' });
    adapter = createCcxtAdapter({
      exchange: 'binanceusdm',
      credentials: { apiKey: venue.apiKey, apiSecret: venue.apiSecret },
      exchangeUrl: venue.url,
      enableRateLimit: false,
      timeoutMs: 3_000,
    });
    await adapter.loadMarkets();
    stop = adapter.subscribe({ symbols: [], timeframes: [] }, (event: ExchangeStreamEvent) => {
      if (event.type === 'positions') lists.push(event.positions);
    });
    await waitFor(() => venue.connections().user > 0, 'the user-data stream to connect');
  });

  afterAll(async () => {
    stop();
    await adapter.close();
    await venue.close();
  });

  it('sends the full list of open positions, including those opened before the stream started', async () => {
    const xrpMarket = adapter.market(XRP);
    const amount = adapter.amountToPrecision(XRP, (xrpMarket.minNotional * 2) / venue.exchange.mark(XRP).markPrice + xrpMarket.amountStep);
    await adapter.createOrder({ symbol: XRP, side: 'buy', type: 'market', amount, reduceOnly: false, clientOrderId: 'ck-stream-xrp-e-1' });
    await waitFor(() => lists.some((list) => list.some((p) => p.symbol === XRP)), 'a positions event carrying XRP');
    const withXrp = lists.find((list) => list.some((p) => p.symbol === XRP))!;
    expect(withXrp.map((p) => `${p.symbol} ${p.side}`).sort()).toEqual([`${BTC} long`, `${ETH} short`, `${XRP} long`]);
  });

  it('keeps the leverage the account set on a streamed position, which the stream itself does not carry', async () => {
    await adapter.setMarginMode(SOL, 'isolated');
    await adapter.setLeverage(SOL, 4);
    await adapter.createOrder({ symbol: SOL, side: 'buy', type: 'market', amount: 2, reduceOnly: false, clientOrderId: 'ck-stream-sol-e-1' });
    await waitFor(() => lists.some((list) => list.some((p) => p.symbol === SOL)), 'a streamed SOL position update');
    const sol = lists.flat().filter((p) => p.symbol === SOL).at(-1)!;
    expect(sol.leverage).toBe(4);
    expect(sol.initialMargin).toBeCloseTo(sol.notional / 4, 6);
  });
});

describe('the live adapter’s fills while the engine resubscribes (ccxt.pro against the venue)', () => {
  let venue: Venue;
  let adapter: ExchangeAdapter;
  const fills: Fill[] = [];
  let marks = [BTC];
  let stop = () => {};

  /** As the engine does when a position opens or closes: the marks follow the positions. */
  const resubscribe = (extra: string[]) => {
    stop();
    marks = [BTC, ...extra];
    stop = adapter.subscribe({ symbols: [], timeframes: [], marks }, onEvent);
  };
  const onEvent = (event: ExchangeStreamEvent) => {
    if (event.type === 'fill') fills.push(event.fill);
    if (event.type === 'positions') queueMicrotask(() => resubscribe(event.positions.map((p) => p.symbol).filter((s) => s !== BTC)));
  };

  beforeAll(async () => {
    venue = await startVenue({ speed: 1 });
    adapter = createCcxtAdapter({
      exchange: 'binanceusdm',
      credentials: { apiKey: venue.apiKey, apiSecret: venue.apiSecret },
      exchangeUrl: venue.url,
      enableRateLimit: false,
      timeoutMs: 3_000,
    });
    await adapter.loadMarkets();
    stop = adapter.subscribe({ symbols: [], timeframes: [], marks }, onEvent);
    await waitFor(() => venue.connections().user > 0, 'the user-data stream to connect');
  });

  afterAll(async () => {
    stop();
    await adapter.close();
    await venue.close();
  });

  it('emits each fill exactly once when the marks change while orders fill', async () => {
    const trades: Array<[string, 'buy' | 'sell', number]> = [
      [XRP, 'buy', 1],
      [SOL, 'sell', 2],
      [XRP, 'sell', 3],
      [SOL, 'buy', 4],
    ];
    for (const [symbol, side, n] of trades) {
      resubscribe(n % 2 ? [ETH] : []);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const market = adapter.market(symbol);
      const amount = adapter.amountToPrecision(symbol, (market.minNotional * 2) / venue.exchange.mark(symbol).markPrice + market.amountStep);
      await adapter.createOrder({ symbol, side, type: 'market', amount, reduceOnly: false, clientOrderId: `ck-resub-e-${n}` });
    }
    const onVenue = () => venue.exchange.fills().filter((f) => f.clientOrderId.startsWith('ck-resub-'));
    await waitFor(() => fills.length >= onVenue().length, 'every venue fill on the stream');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const key = (orderId: string | number, amount: number, price: number) => `${orderId} ${amount} ${price}`;
    expect(fills.map((f) => key(f.orderId, f.amount, f.price)).sort()).toEqual(onVenue().map((f) => key(f.orderId, f.quantity, f.price)).sort());
  });
});
