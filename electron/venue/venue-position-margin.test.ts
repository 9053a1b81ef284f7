import ccxt from 'ccxt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startVenue, type Venue } from './server';
import { restClient, scriptedExchange } from './venue-fixtures';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

type Client = ReturnType<typeof restClient>;

async function isolatedWallet(client: Client, symbol: string): Promise<{ wallet: number; liquidation: number }> {
  const position = (await client.fetchPositions([symbol]))[0]!;
  return { wallet: Number((position.info as { isolatedWallet: string }).isolatedWallet), liquidation: position.liquidationPrice! };
}

describe('POST /fapi/v1/positionMargin through ccxt (addMargin / reduceMargin)', () => {
  let venue: Venue;
  let client: Client;

  beforeAll(async () => {
    venue = await startVenue({ speed: 0, exchange: scriptedExchange(() => 1) });
    client = restClient(venue);
    await client.loadMarkets();
    await client.setMarginMode('isolated', BTC);
    await client.setLeverage(10, BTC);
    await client.createOrder(BTC, 'market', 'buy', 0.05, undefined, { clientOrderId: 'margin-btc-1' });
    await client.createOrder(ETH, 'market', 'buy', 1, undefined, { clientOrderId: 'margin-eth-1' });
  });
  afterAll(async () => {
    await venue.close();
  });

  it('adds margin to an isolated position as Binance answers, and its liquidation price moves away', async () => {
    const before = await isolatedWallet(client, BTC);
    const cross = (await client.fetchBalance())['USDT']!.free!;

    const answer = await client.addMargin(BTC, 50);

    expect(answer).toMatchObject({ symbol: BTC, type: 'add', marginMode: 'isolated', amount: 50, status: 'ok' });
    expect(answer.info).toEqual({ amount: 50, code: 200, msg: 'Successfully modify position margin.', type: 1 });
    const after = await isolatedWallet(client, BTC);
    expect(after.wallet).toBeCloseTo(before.wallet + 50, 6);
    expect(after.liquidation).toBeLessThan(before.liquidation);
    expect((await client.fetchBalance())['USDT']!.free!).toBeCloseTo(cross - 50, 6);
  });

  it('removes margin down to what the position can spare, and refuses more with -4051', async () => {
    const before = await isolatedWallet(client, BTC);
    const answer = await client.reduceMargin(BTC, 20);
    expect(answer).toMatchObject({ type: 'reduce', amount: 20, status: 'ok' });
    expect((answer.info as { type: number }).type).toBe(2);
    const after = await isolatedWallet(client, BTC);
    expect(after.wallet).toBeCloseTo(before.wallet - 20, 6);
    expect(after.liquidation).toBeGreaterThan(before.liquidation);

    await expect(client.reduceMargin(BTC, after.wallet)).rejects.toThrow(ccxt.InsufficientFunds);
    await expect(client.reduceMargin(BTC, after.wallet)).rejects.toThrow(/-4051.*Isolated balance insufficient/);
    expect((await isolatedWallet(client, BTC)).wallet).toBeCloseTo(after.wallet, 6);
  });

  it('refuses a cross position (-4054), an amount not above zero (-4055) and more than the free balance (-4050)', async () => {
    await expect(client.addMargin(ETH, 10)).rejects.toThrow(/-4054.*Cannot add position margin: position is 0/);
    await expect(client.reduceMargin(ETH, 10)).rejects.toThrow(/-4051/);
    await expect(client.fapiPrivatePostPositionMargin({ symbol: 'BTCUSDT', type: 1, amount: '0' })).rejects.toThrow(/-4055.*Amount must be positive/);
    await expect(client.addMargin(BTC, 1_000_000)).rejects.toThrow(/-4050.*Cross balance insufficient/);
  });

  it('takes the amount ccxt rounds to the market step, as on Binance (5.2437 is sent as 5.243 on BTC)', async () => {
    const before = await isolatedWallet(client, BTC);
    const answer = await client.addMargin(BTC, 5.243_7);
    expect(answer.amount).toBe(5.243);
    expect((await isolatedWallet(client, BTC)).wallet).toBeCloseTo(before.wallet + 5.243, 6);
  });

  it('pushes the new isolated wallet on the user-data stream, as an ACCOUNT_UPDATE of reason ISOLATED_MARGIN_CHANGE', async () => {
    const { listenKey } = (await client.fapiPrivatePostListenKey()) as { listenKey: string };
    const ws = new WebSocket(`${venue.wsUrl}/private/ws?listenKey=${listenKey}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const update = new Promise<{ a: { m: string; P: { s: string; iw: string; mt: string }[] } }>((resolve) =>
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.e === 'ACCOUNT_UPDATE') resolve(frame);
      }),
    );
    await client.addMargin(BTC, 10);
    const frame = await update;
    ws.close();
    expect(frame.a.m).toBe('ISOLATED_MARGIN_CHANGE');
    const btc = frame.a.P.find((p) => p.s === 'BTCUSDT')!;
    expect(btc.mt).toBe('isolated');
    expect(Number(btc.iw)).toBeCloseTo((await isolatedWallet(client, BTC)).wallet, 6);
  });
});
