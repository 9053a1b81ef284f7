import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liquidationPrice, type MarginTier } from '../../shared/risk/liquidation';
import { WebSocket } from 'ws';
import { LISTEN_KEY_TTL_MS } from './listen-keys';
import { startVenue, type Venue } from './server';
import { restClient, SCENARIO_START, scriptedExchange } from './venue-fixtures';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const MINUTE = 60_000;
const HOUR = 3_600_000;

type Client = ReturnType<typeof restClient>;

/** The maintenance tiers as ccxt reads them from /fapi/v1/leverageBracket. */
async function tiersFromVenue(client: Client, symbol: string): Promise<MarginTier[]> {
  const tiers = await client.fetchLeverageTiers([symbol]);
  return tiers[symbol]!.map((tier) => ({
    minNotional: tier.minNotional!,
    maxNotional: tier.maxNotional!,
    maintenanceMarginRate: tier.maintenanceMarginRate!,
    maintenanceAmount: Number((tier.info as { cum: number }).cum),
  }));
}

describe('ccxt binanceusdm (REST) against the venue', () => {
  let venue: Venue;
  let client: Client;

  beforeAll(async () => {
    venue = await startVenue({ speed: 0, exchange: scriptedExchange(() => 1) });
    client = restClient(venue);
  });
  afterAll(async () => {
    await venue.close();
  });

  it('loads the four USDⓈ-M markets with their precision and limits', async () => {
    const markets = await client.loadMarkets();
    expect(Object.keys(markets).sort()).toEqual([BTC, ETH, 'SOL/USDT:USDT', 'XRP/USDT:USDT']);
    const btc = markets[BTC]!;
    expect(btc).toMatchObject({ id: 'BTCUSDT', type: 'swap', linear: true, settle: 'USDT', contractSize: 1 });
    expect(btc.precision).toMatchObject({ amount: 0.001, price: 0.1 });
    expect(btc.limits.amount).toEqual({ min: 0.001, max: 1000 });
    expect(btc.limits.cost?.min).toBe(5);
    expect(btc.limits['market']).toEqual({ min: 0.001, max: 120 });
    expect(await client.fetchTradingFee(BTC)).toMatchObject({ maker: 0.0002, taker: 0.0004 });
  });

  it('sets leverage and margin mode, and reads them back', async () => {
    expect(await client.setLeverage(10, BTC)).toMatchObject({ leverage: 10, symbol: 'BTCUSDT' });
    expect(await client.setMarginMode('isolated', BTC)).toMatchObject({ code: 200 });
    await client.setLeverage(5, ETH);
    const [leverage, marginMode] = await Promise.all([client.fetchLeverage(BTC), client.fetchMarginMode(BTC)]);
    expect(leverage).toMatchObject({ longLeverage: 10, marginMode: 'isolated' });
    expect(marginMode.marginMode).toBe('isolated');
    expect(venue.exchange.marginMode(ETH)).toBe('cross');
  });

  it('opens market positions under their client order ids', async () => {
    const entry = await client.createOrder(BTC, 'market', 'buy', 0.02, undefined, { clientOrderId: 'entry-btc-1' });
    expect(entry).toMatchObject({ clientOrderId: 'entry-btc-1', status: 'closed', filled: 0.02, side: 'buy' });
    await client.createOrder(ETH, 'market', 'buy', 15, undefined, { clientOrderId: 'entry-eth-1' });
    const positions = await client.fetchPositions();
    expect(positions.map((p) => [p.symbol, p.side, p.contracts, p.marginMode])).toEqual([
      [BTC, 'long', 0.02, 'isolated'],
      [ETH, 'long', 15, 'cross'],
    ]);
  });

  it('attaches a stop-market and a take-profit-market as separate reduce-only conditional orders', async () => {
    const stop = await client.createOrder(BTC, 'market', 'sell', 0.02, undefined, { stopLossPrice: 57_000, reduceOnly: true, clientOrderId: 'sl-btc-1' });
    const takeProfit = await client.createOrder(BTC, 'market', 'sell', 0.02, undefined, { takeProfitPrice: 66_000, reduceOnly: true, clientOrderId: 'tp-btc-1' });
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 57_000, reduceOnly: true, clientOrderId: 'sl-btc-1' });
    expect(takeProfit).toMatchObject({ status: 'open', triggerPrice: 66_000, reduceOnly: true, clientOrderId: 'tp-btc-1' });
    expect(stop.info).toMatchObject({ algoType: 'CONDITIONAL', orderType: 'STOP_MARKET', algoStatus: 'NEW' });
    expect(takeProfit.info).toMatchObject({ algoType: 'CONDITIONAL', orderType: 'TAKE_PROFIT_MARKET' });

    const again = await client.createOrder(BTC, 'market', 'sell', 0.02, undefined, { stopLossPrice: 56_000, reduceOnly: true, clientOrderId: 'sl-btc-1' }).catch((e: unknown) => e);
    expect(again, 'the id of an open order is refused, as Binance does (-4116)').toBeInstanceOf(ccxt.InvalidOrder);
    expect(String(again)).toContain('-4116');
    const conditional = await client.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(conditional.map((o) => o.clientOrderId).sort()).toEqual(['sl-btc-1', 'tp-btc-1']);
    expect(await client.fetchOpenOrders(BTC)).toEqual([]);
    const fetched = await client.fetchOrder(stop.id!, BTC, { trigger: true });
    expect(fetched).toMatchObject({ id: stop.id, status: 'open', triggerPrice: 57_000 });
  });

  it('reports liquidation prices equal to shared/risk for an isolated and a cross position', async () => {
    const positions = await client.fetchPositions();
    const btc = positions.find((p) => p.symbol === BTC)!;
    const eth = positions.find((p) => p.symbol === ETH)!;
    const balance = await client.fetchBalance();
    const crossWallet = Number((balance.info as { assets: { asset: string; crossWalletBalance: string }[] }).assets.find((a) => a.asset === 'USDT')!.crossWalletBalance);

    const expectedBtc = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: btc.contracts!,
      entryPrice: btc.entryPrice!,
      marginMode: 'isolated',
      walletBalance: Number((btc.info as { isolatedWallet: string }).isolatedWallet),
      tiers: await tiersFromVenue(client, BTC),
    });
    const expectedEth = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: eth.contracts!,
      entryPrice: eth.entryPrice!,
      marginMode: 'cross',
      walletBalance: crossWallet,
      tiers: await tiersFromVenue(client, ETH),
      others: [],
    });
    expect(expectedBtc).not.toBeNull();
    expect(expectedEth).not.toBeNull();
    expect(btc.liquidationPrice).toBeCloseTo(expectedBtc!, 6);
    expect(eth.liquidationPrice).toBeCloseTo(expectedEth!, 6);
    expect(btc.liquidationPrice!).toBeLessThan(btc.entryPrice!);
  });

  it('cancels a normal order and the conditional ones, each through its own endpoint', async () => {
    const resting = await client.createOrder(BTC, 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'limit-btc-1' });
    expect(resting.status).toBe('open');
    const cancelled = await client.cancelOrder(resting.id!, BTC);
    expect(cancelled).toMatchObject({ id: resting.id, status: 'canceled' });

    await client.createOrder(BTC, 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'limit-btc-2' });
    await client.createOrder(BTC, 'limit', 'buy', 0.01, 49_000, { clientOrderId: 'limit-btc-3' });
    expect((await client.fetchOpenOrders(BTC)).map((o) => o.clientOrderId).sort()).toEqual(['limit-btc-2', 'limit-btc-3']);
    await client.cancelAllOrders(BTC);
    expect(await client.fetchOpenOrders(BTC)).toEqual([]);
    expect((await client.fetchOrder('ignored', BTC, { clientOrderId: 'limit-btc-3' })).status).toBe('canceled');
    const conditional = await client.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    expect(conditional.map((o) => o.clientOrderId).sort()).toEqual(['sl-btc-1', 'tp-btc-1']);

    await client.cancelAllOrders(BTC, { trigger: true });
    expect(await client.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toEqual([]);
    const stop = await client.fetchOrder('ignored', BTC, { trigger: true, clientOrderId: 'sl-btc-1' });
    expect(stop.status).toBe('canceled');
  });

  it('closes with reduce-only market orders and ends flat, fees and PnL accounted', async () => {
    await client.createOrder(BTC, 'market', 'sell', 0.02, undefined, { reduceOnly: true, clientOrderId: 'close-btc-1' });
    await client.createOrder(ETH, 'market', 'sell', 15, undefined, { reduceOnly: true, clientOrderId: 'close-eth-1' });
    expect(await client.fetchPositions()).toEqual([]);

    const trades = await client.fetchMyTrades(BTC);
    expect(trades.map((t) => [t.side, t.amount])).toEqual([
      ['buy', 0.02],
      ['sell', 0.02],
    ]);
    const fees = [...trades, ...(await client.fetchMyTrades(ETH))].reduce((sum, t) => sum + t.fee!.cost!, 0);
    const pnl = [...trades, ...(await client.fetchMyTrades(ETH))].reduce((sum, t) => sum + Number((t.info as { realizedPnl: string }).realizedPnl), 0);
    const balance = await client.fetchBalance();
    expect(balance['USDT']!.total).toBeCloseTo(10_000 + pnl - fees, 6);
    expect(balance['USDT']!.used).toBeCloseTo(0, 8);
  });
});

/** Flat for half a minute, 1% higher for the other half, then a slow wave: a known first minute and a day with a distinct high and low. */
const stepThenWave = (time: number) =>
  time < SCENARIO_START + 30_000 ? 1 : time < SCENARIO_START + MINUTE ? 1.01 : 1 + 0.03 * Math.sin((time - SCENARIO_START) / (1.5 * HOUR));

describe('ccxt binanceusdm market data against the venue: the core\'s figures on the wire', () => {
  let venue: Venue;
  let client: Client;

  beforeAll(async () => {
    const exchange = scriptedExchange(stepThenWave, { tickMs: 10_000, premium: (_symbol, time) => 0.0015 + 0.0005 * Math.sin(time / HOUR) });
    venue = await startVenue({ speed: 0, exchange });
    venue.advanceTo(SCENARIO_START + 8 * HOUR + MINUTE);
    client = restClient(venue);
    await client.loadMarkets();
  });
  afterAll(async () => {
    await venue.close();
  });

  it('fetchMarkPrice and fetchFundingRate give the core\'s mark, index, funding rate and next funding time', async () => {
    const mark = venue.exchange.mark(BTC);
    expect(mark.markPrice - mark.indexPrice).toBeGreaterThan(50);
    expect(mark.fundingRate).toBeGreaterThan(0.0004);
    const markPrice = await client.fetchMarkPrice(BTC);
    expect(markPrice.symbol).toBe(BTC);
    expect(markPrice.markPrice).toBeCloseTo(mark.markPrice, 6);
    expect(markPrice.indexPrice).toBeCloseTo(mark.indexPrice, 6);

    const funding = await client.fetchFundingRate(BTC);
    expect(funding).toMatchObject({ symbol: BTC, timestamp: mark.time, fundingTimestamp: SCENARIO_START + 16 * HOUR });
    expect(funding.fundingTimestamp).toBe(mark.nextFundingTime);
    expect(funding.markPrice).toBeCloseTo(mark.markPrice, 6);
    expect(funding.indexPrice).toBeCloseTo(mark.indexPrice, 6);
    expect(funding.fundingRate).toBeCloseTo(mark.fundingRate, 8);
  });

  it('fetchFundingRateHistory gives the core\'s funding series, the 08:00 settlement included', async () => {
    const series = venue.exchange.fundingRates(BTC);
    expect(series.map((f) => f.fundingTime)).toEqual([SCENARIO_START, SCENARIO_START + 8 * HOUR]);
    const history = await client.fetchFundingRateHistory(BTC);
    expect(history.map((h) => [h.symbol, h.timestamp])).toEqual(series.map((f) => [BTC, f.fundingTime]));
    history.forEach((h, i) => expect(h.fundingRate).toBeCloseTo(series[i]!.fundingRate, 8));
    expect(series[0]!.fundingRate).not.toBeCloseTo(series[1]!.fundingRate, 5);
  });

  it('fetchFundingInterval reads the 8 h interval from /fapi/v1/fundingInfo', async () => {
    expect(await client.fetchFundingInterval(BTC)).toMatchObject({ symbol: BTC, interval: '8h' });
  });

  it('fetchTicker gives the core\'s last price, the day\'s high and low, and its quote volume', async () => {
    const mark = venue.exchange.mark(BTC);
    const lastDay = venue.exchange.klines(BTC, '1h', { since: venue.exchange.now() - 24 * HOUR });
    const ticker = await client.fetchTicker(BTC);
    expect(ticker.last).toBe(mark.lastPrice);
    expect(ticker.high).toBe(Math.max(mark.lastPrice, ...lastDay.map((c) => c.high)));
    expect(ticker.low).toBe(Math.min(mark.lastPrice, ...lastDay.map((c) => c.low)));
    expect(ticker.high! - mark.lastPrice).toBeGreaterThan(1_000);
    expect(mark.lastPrice - ticker.low!).toBeGreaterThan(100);
    expect(ticker.quoteVolume).toBeCloseTo(lastDay.reduce((sum, c) => sum + c.quoteVolume, 0), 4);
    expect(ticker.vwap).toBeCloseTo(ticker.quoteVolume! / ticker.baseVolume!, 0);
  });

  it('sends each kline\'s quote volume: every tick\'s volume at its price', async () => {
    const [row] = (await client.fapiPublicGetKlines({ symbol: 'BTCUSDT', interval: '1m', startTime: SCENARIO_START, limit: 1 })) as string[][];
    // Six ticks of 1,000 BTC in the first minute: three at 60,000 and three at 60,600.
    expect([row![0], row![5], row![7]]).toEqual([SCENARIO_START, '6000.000', '361800000.00000000']);
  });
});

describe('the user-data stream\'s listenKey', () => {
  let venue: Venue;
  let client: Client;
  let clock = SCENARIO_START;

  beforeAll(async () => {
    venue = await startVenue({ speed: 0, exchange: scriptedExchange(() => 1), listenKeyClock: () => clock });
    client = restClient(venue);
    await client.loadMarkets();
  });
  afterAll(async () => {
    await venue.close();
  });

  const createKey = async () => ((await client.fapiPrivatePostListenKey()) as { listenKey: string }).listenKey;

  it('is kept alive with PUT and closed with DELETE, after which a keep-alive is -1125', async () => {
    const key = await createKey();
    clock += LISTEN_KEY_TTL_MS - MINUTE;
    expect(await client.fapiPrivatePutListenKey()).toEqual({ listenKey: key });
    clock += LISTEN_KEY_TTL_MS - MINUTE;
    expect(await createKey()).toBe(key);
    expect(await client.fapiPrivateDeleteListenKey()).toEqual({});
    await expect(client.fapiPrivatePutListenKey()).rejects.toThrow(/-1125/);
    expect(await createKey()).not.toBe(key);
  });

  it('expires 60 minutes after the last keep-alive: the stream gets listenKeyExpired and closes', async () => {
    const key = await createKey();
    const ws = new WebSocket(`${venue.wsUrl}/private/ws?listenKey=${key}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const frames: unknown[] = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    const closed = new Promise<[number, string]>((resolve) => ws.once('close', (code, reason) => resolve([code, reason.toString()])));

    clock += LISTEN_KEY_TTL_MS;
    await client.createOrder(BTC, 'limit', 'buy', 0.01, 50_000, { clientOrderId: 'after-expiry' });
    expect(await closed).toEqual([1000, 'listenKeyExpired']);
    expect(frames).toEqual([{ e: 'listenKeyExpired', E: venue.exchange.now(), listenKey: key }]);
    await expect(client.fapiPrivatePutListenKey()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });
});
