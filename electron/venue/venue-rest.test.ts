import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liquidationPrice, type MarginTier } from '../../shared/risk/liquidation';
import { startVenue, type Venue } from './server';
import { restClient, scriptedExchange } from './venue-fixtures';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

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

  it('opens a market position once, however often the same client order id is sent', async () => {
    const entry = await client.createOrder(BTC, 'market', 'buy', 0.02, undefined, { clientOrderId: 'entry-btc-1' });
    expect(entry).toMatchObject({ clientOrderId: 'entry-btc-1', status: 'closed', filled: 0.02, side: 'buy' });
    const retry = await client.createOrder(BTC, 'market', 'buy', 0.02, undefined, { clientOrderId: 'entry-btc-1' });
    expect(retry.id).toBe(entry.id);
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

    await client.cancelAllOrders(BTC, { trigger: true });
    expect(await client.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toEqual([]);
    expect(await client.fetchOpenOrders(BTC)).toEqual([]);
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
