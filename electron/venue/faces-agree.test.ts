import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeStreamEvent } from '../engine/exchange/adapter';
import { createPaperAdapter, type PaperAdapter } from '../engine/exchange/paper-adapter';
import { createSyntheticFeed } from '../engine/sim/feeds/synthetic';
import { defaultMarkets } from '../engine/sim/markets';
import { createSimExchange } from '../engine/sim/sim-exchange';
import type { SimEvent } from '../engine/sim/types';
import { DEFAULT_START_BALANCE, DEFAULT_TICK_MS, startVenue, type Venue } from './server';
import { restClient } from './venue-fixtures';

/** Ten minutes before the 08:00 UTC funding settlement. */
const START = Date.UTC(2024, 0, 1, 7, 50);
/** Under this seed the synthetic prices liquidate both high-leverage positions within the hour. */
const SEED = 2;
const MINUTE = 60_000;
const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const SOL = 'SOL/USDT:USDT';
const XRP = 'XRP/USDT:USDT';
const SYMBOLS = [BTC, ETH, SOL, XRP];

const round = (n: number) => Number(n.toFixed(6));

describe('both faces agree: paper mode and ccxt → venue run the same seeded scenario to the same result', () => {
  let paper: PaperAdapter;
  let venue: Venue;
  let client: ReturnType<typeof restClient>;
  const paperEvents: ExchangeStreamEvent[] = [];
  const paperFunding: Extract<SimEvent, { type: 'funding' }>[] = [];

  /** Moves both simulated clocks to the same time. */
  const advanceBoth = (time: number) => {
    paper.sim.advanceTo(time);
    venue.advanceTo(time);
  };

  beforeAll(async () => {
    paper = createPaperAdapter({ seed: SEED, startBalance: DEFAULT_START_BALANCE, now: () => START, manualClock: true });
    paper.subscribe({ symbols: SYMBOLS, timeframes: [] }, (event) => paperEvents.push(event));
    paper.sim.subscribe((event) => {
      if (event.type === 'funding') paperFunding.push(event);
    });
    const core = createSimExchange({
      markets: defaultMarkets(),
      feed: createSyntheticFeed({ seed: SEED }),
      startTime: START,
      startBalance: DEFAULT_START_BALANCE,
      seed: SEED,
      tickMs: DEFAULT_TICK_MS,
    });
    venue = await startVenue({ speed: 0, exchange: core });
    client = restClient(venue);
    await client.loadMarkets();

    await paper.setLeverage(BTC, 10);
    await client.setLeverage(10, BTC);
    for (const [symbol, leverage] of [
      [SOL, 100],
      [XRP, 75],
    ] as const) {
      await paper.setMarginMode(symbol, 'isolated');
      await client.setMarginMode('isolated', symbol);
      await paper.setLeverage(symbol, leverage);
      await client.setLeverage(leverage, symbol);
    }

    const paperEntry = await paper.createOrder({ symbol: BTC, side: 'buy', type: 'market', amount: 0.05, reduceOnly: false, clientOrderId: 'agree-btc' });
    const venueEntry = await client.createOrder(BTC, 'market', 'buy', 0.05, undefined, { clientOrderId: 'agree-btc' });
    expect(venueEntry.average).toBe(paperEntry.averagePrice);
    const entry = paperEntry.averagePrice!;
    const stop = paper.priceToPrecision(BTC, entry * 0.97);
    const takeProfit = paper.priceToPrecision(BTC, entry * 1.03);
    await paper.createOrder({ symbol: BTC, side: 'sell', type: 'stop_market', amount: 0.05, triggerPrice: stop, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'agree-sl' });
    await client.createOrder(BTC, 'market', 'sell', 0.05, undefined, { stopLossPrice: stop, workingType: 'MARK_PRICE', reduceOnly: true, clientOrderId: 'agree-sl' });
    await paper.createOrder({ symbol: BTC, side: 'sell', type: 'take_profit_market', amount: 0.05, triggerPrice: takeProfit, triggerBy: 'mark', reduceOnly: true, clientOrderId: 'agree-tp' });
    await client.createOrder(BTC, 'market', 'sell', 0.05, undefined, { takeProfitPrice: takeProfit, workingType: 'MARK_PRICE', reduceOnly: true, clientOrderId: 'agree-tp' });

    const bid = paper.priceToPrecision(ETH, (await paper.fetchTicker(ETH)).last * 0.999);
    await paper.createOrder({ symbol: ETH, side: 'buy', type: 'limit', amount: 2, price: bid, reduceOnly: false, clientOrderId: 'agree-eth' });
    await client.createOrder(ETH, 'limit', 'buy', 2, bid, { clientOrderId: 'agree-eth' });

    await paper.createOrder({ symbol: SOL, side: 'buy', type: 'market', amount: 10, reduceOnly: false, clientOrderId: 'agree-sol' });
    await client.createOrder(SOL, 'market', 'buy', 10, undefined, { clientOrderId: 'agree-sol' });
    await paper.createOrder({ symbol: XRP, side: 'sell', type: 'market', amount: 2000, reduceOnly: false, clientOrderId: 'agree-xrp' });
    await client.createOrder(XRP, 'market', 'sell', 2000, undefined, { clientOrderId: 'agree-xrp' });

    advanceBoth(START + 30 * MINUTE);
    await paper.createOrder({ symbol: BTC, side: 'sell', type: 'market', amount: 0.02, reduceOnly: true, clientOrderId: 'agree-trim' });
    await client.createOrder(BTC, 'market', 'sell', 0.02, undefined, { reduceOnly: true, clientOrderId: 'agree-trim' });
    advanceBoth(START + 60 * MINUTE);
  });

  afterAll(async () => {
    await paper.close();
    await venue.close();
  });

  it('fills: the same trades at the same prices, sizes, fees and realised PnL', async () => {
    const paperFills = paperEvents
      .flatMap((e) => (e.type === 'fill' ? [e.fill] : []))
      .map((f) => [f.symbol, f.time, f.side, round(f.price), f.amount, round(f.fee), round(f.realizedPnl)]);
    const venueFills = (await Promise.all(SYMBOLS.map((s) => client.fetchMyTrades(s))))
      .flat()
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((t) => [t.symbol, t.timestamp, t.side, round(t.price!), t.amount, round(t.fee!.cost!), round(Number((t.info as { realizedPnl: string }).realizedPnl))]);
    expect(paperFills.length).toBeGreaterThanOrEqual(6);
    expect(venueFills).toEqual(paperFills);
  });

  it('funding: the same payments at the 08:00 settlement', async () => {
    const venueFunding = (await client.fetchFundingHistory()).map((f) => [f.symbol, f.timestamp, round(f.amount!)]);
    const expected = paperFunding.map((f) => [f.symbol, f.time, round(f.payment)]);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.every(([, time]) => time === Date.UTC(2024, 0, 1, 8))).toBe(true);
    expect(venueFunding).toEqual(expected);
  });

  it('liquidations: the same positions closed at the same bankruptcy prices', async () => {
    const paperLiquidations = paperEvents
      .flatMap((e) => (e.type === 'liquidation' ? [e] : []))
      .map((l) => [l.symbol, l.side, l.contracts, round(l.price)]);
    const venueLiquidations = (await Promise.all(SYMBOLS.map((s) => client.fetchOrders(s))))
      .flat()
      .filter((o) => o.clientOrderId?.startsWith('autoclose-'))
      .sort((a, b) => a.timestamp! - b.timestamp!)
      .map((o) => [o.symbol, o.side === 'sell' ? 'long' : 'short', o.filled, round(o.average!)]);
    expect(paperLiquidations.map(([symbol]) => symbol).sort()).toEqual([SOL, XRP]);
    expect(venueLiquidations).toEqual(paperLiquidations);
  });

  it('the account: the same wallet, positions and open orders at the end', async () => {
    const [paperBalance, venueBalance] = await Promise.all([paper.fetchBalance(), client.fetchBalance()]);
    expect(Number((venueBalance.info as { totalWalletBalance: string }).totalWalletBalance)).toBeCloseTo(paperBalance.walletBalance, 6);
    expect(venueBalance['USDT']!.total).toBeCloseTo(paperBalance.marginBalance, 6);
    expect(venueBalance['USDT']!.free).toBeCloseTo(paperBalance.availableBalance, 6);
    const paperPositions = (await paper.fetchPositions()).map((p) => [p.symbol, p.side, p.contracts, round(p.entryPrice), round(p.liquidationPrice ?? 0)]);
    const venuePositions = (await client.fetchPositions()).map((p) => [p.symbol, p.side, p.contracts, round(p.entryPrice!), round(p.liquidationPrice ?? 0)]);
    expect(venuePositions).toEqual(paperPositions);
    const paperOrders = (await paper.fetchOpenOrders()).map((o) => o.clientOrderId).sort();
    const venueOrders = [...(await client.fetchOpenOrders()), ...(await client.fetchOpenOrders(undefined, undefined, undefined, { trigger: true }))].map((o) => o.clientOrderId).sort();
    expect(venueOrders).toEqual(paperOrders);
  });
});
