import { describe, expect, it } from 'vitest';
import { TIMEFRAME_MS, type MarketInfo } from '../../../shared/domain';
import { liquidationPrice } from '../../../shared/risk/liquidation';
import { toMarginTiers } from '../../../shared/risk/tiers';
import { createSyntheticFeed } from './feeds/synthetic';
import { defaultMarkets } from './markets';
import { createSimExchange } from './sim-exchange';
import { SimError, type PriceFeed, type SimEvent, type SimOptions, type SimOrderRequest } from './types';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const XRP = 'XRP/USDT:USDT';
/** 01:00 UTC: seven hours before the 08:00 funding. */
const T0 = Date.UTC(2024, 0, 1, 1, 0, 0);
const NO_SLIPPAGE = { halfSpread: 0, impact: 0, cap: 0 };

interface Setup extends Partial<SimOptions> {
  prices?: Record<string, number>;
  volumePerSecond?: number;
}

/** A simulator on a hand-moved price: `move` sets a symbol's last price and runs one tick. */
function setup(options: Setup = {}) {
  const { prices: startPrices, volumePerSecond = 10, ...simOptions } = options;
  const prices: Record<string, number> = { [BTC]: 50_000, [ETH]: 3_000, 'SOL/USDT:USDT': 100, [XRP]: 0.5, ...startPrices };
  const seen = new Map<string, number>();
  const feed: PriceFeed = {
    next(symbol, time) {
      const previous = seen.get(symbol) ?? time;
      seen.set(symbol, time);
      return { price: prices[symbol]!, volume: ((time - previous) / 1000) * volumePerSecond };
    },
  };
  const sim = createSimExchange({
    markets: defaultMarkets(),
    feed,
    startTime: T0,
    startBalance: 10_000,
    seed: 7,
    tickMs: 1_000,
    warmupBars: 5,
    premium: () => 0,
    slippage: NO_SLIPPAGE,
    ...simOptions,
  });
  const events: SimEvent[] = [];
  sim.subscribe((event) => events.push(event));
  const move = (symbol: string, price: number) => {
    prices[symbol] = price;
    sim.advanceTo(sim.now() + sim.tickMs());
  };
  return { sim, prices, events, move };
}

function rejection(run: () => unknown): { code: number; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof SimError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a SimError, but the call succeeded');
}

const market = (type: SimOrderRequest['type'], side: SimOrderRequest['side'], quantity: number, extra: Partial<SimOrderRequest> = {}): SimOrderRequest => ({
  symbol: BTC,
  side,
  type,
  quantity,
  ...extra,
});

describe('market orders', () => {
  it('fill at once at the last price and pay the taker fee', () => {
    const { sim } = setup();
    const order = sim.placeOrder(market('MARKET', 'BUY', 0.1));
    expect(order).toMatchObject({ status: 'FILLED', executedQty: 0.1, avgPrice: 50_000 });
    const [fill] = sim.fills();
    expect(fill).toMatchObject({ price: 50_000, quantity: 0.1, maker: false });
    expect(fill!.commission).toBeCloseTo(5_000 * 0.0004, 10);
    expect(sim.account().walletBalance).toBeCloseTo(10_000 - 2, 10);
    expect(sim.positions().find((p) => p.symbol === BTC)).toMatchObject({ positionAmt: 0.1, entryPrice: 50_000 });
  });

  it('slip against the taker, more for a larger order', () => {
    const { sim } = setup({ slippage: undefined, startBalance: 1_000_000 });
    const small = sim.placeOrder(market('MARKET', 'BUY', 0.01));
    const large = sim.placeOrder(market('MARKET', 'BUY', 50));
    const sell = sim.placeOrder(market('MARKET', 'SELL', 0.01));
    expect(small.avgPrice).toBeGreaterThan(50_000);
    expect(large.avgPrice).toBeGreaterThan(small.avgPrice);
    expect(sell.avgPrice).toBeLessThan(50_000);
    expect(large.avgPrice).toBeLessThanOrEqual(50_000 * 1.05);
    const [, largeFill] = sim.fills();
    expect(largeFill!.commission).toBeCloseTo(50 * large.avgPrice * 0.0004, 6);
  });

  it('realise PnL when reducing and flip when a plain order is larger than the position', () => {
    const { sim, move } = setup();
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    move(BTC, 51_000);
    sim.placeOrder(market('MARKET', 'SELL', 0.3));
    const fill = sim.fills()[1]!;
    expect(fill.realizedPnl).toBeCloseTo(100, 8);
    expect(sim.positions().find((p) => p.symbol === BTC)).toMatchObject({ positionAmt: -0.2, entryPrice: 51_000 });
  });
});

describe('limit orders', () => {
  it('rest until the last price crosses, then fill as maker at the limit', () => {
    const { sim, move } = setup();
    const order = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 49_000 }));
    expect(order.status).toBe('NEW');
    move(BTC, 49_500);
    expect(sim.getOrder(BTC, { orderId: order.orderId }).status).toBe('NEW');
    move(BTC, 48_900);
    expect(sim.getOrder(BTC, { orderId: order.orderId })).toMatchObject({ status: 'FILLED', avgPrice: 49_000 });
    const [fill] = sim.fills();
    expect(fill).toMatchObject({ maker: true, price: 49_000 });
    expect(fill!.commission).toBeCloseTo(4_900 * 0.0002, 10);
  });

  it('fill partly when the volume traded in a tick is thin', () => {
    const { sim, move } = setup({ volumePerSecond: 1 });
    const order = sim.placeOrder(market('LIMIT', 'SELL', 0.6, { price: 50_100 }));
    move(BTC, 50_200);
    expect(sim.getOrder(BTC, { orderId: order.orderId })).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: 0.25 });
    move(BTC, 50_200);
    move(BTC, 50_200);
    expect(sim.getOrder(BTC, { orderId: order.orderId })).toMatchObject({ status: 'FILLED', executedQty: 0.6 });
    expect(sim.fills().map((f) => f.quantity)).toEqual([0.25, 0.25, 0.1]);
  });

  it('take liquidity at once when marketable, but a post-only one is rejected instead', () => {
    const { sim } = setup();
    expect(rejection(() => sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 50_100, timeInForce: 'GTX' }))).code).toBe(-5022);
    const taker = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 50_100 }));
    expect(taker).toMatchObject({ status: 'FILLED', avgPrice: 50_000 });
    expect(sim.fills()[0]!.maker).toBe(false);
  });

  it('expire at once when IOC and not marketable', () => {
    const { sim } = setup();
    expect(sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 49_000, timeInForce: 'IOC' })).status).toBe('EXPIRED');
    expect(sim.openOrders()).toEqual([]);
  });
});

describe('conditional orders', () => {
  it('a stop on the last price fires on a wick that the smoothed mark price ignores', () => {
    let premium = 0;
    const { sim, move } = setup({ premium: () => premium });
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    const onLast = sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 49_500, workingType: 'last', reduceOnly: true }));
    const onMark = sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 49_500, workingType: 'mark', reduceOnly: true }));
    premium = -0.02;
    move(BTC, 49_000);
    expect(sim.mark(BTC).markPrice).toBeGreaterThan(49_500);
    expect(sim.getOrder(BTC, { orderId: onLast.orderId }).status).toBe('FILLED');
    expect(sim.getOrder(BTC, { orderId: onMark.orderId }).status).toBe('NEW');
  });

  it('a take-profit on the mark price fires once the mark crosses it', () => {
    let premium = 0;
    const { sim, move } = setup({ premium: () => premium });
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    const takeProfit = sim.placeOrder(market('TAKE_PROFIT_MARKET', 'SELL', 0.1, { stopPrice: 50_500, workingType: 'mark', reduceOnly: true }));
    premium = 0.02;
    move(BTC, 51_000);
    expect(sim.getOrder(BTC, { orderId: takeProfit.orderId }).status).toBe('NEW');
    premium = 0;
    move(BTC, 51_000);
    expect(sim.mark(BTC).markPrice).toBeGreaterThanOrEqual(50_500);
    expect(sim.getOrder(BTC, { orderId: takeProfit.orderId })).toMatchObject({ status: 'FILLED', executedQty: 0.1, avgPrice: 51_000 });
  });

  it('closePosition closes the whole position, whatever its size when it fires', () => {
    const { sim, move } = setup();
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    const stop = sim.placeOrder({ symbol: BTC, side: 'SELL', type: 'STOP_MARKET', stopPrice: 49_000, closePosition: true });
    sim.placeOrder(market('MARKET', 'BUY', 0.05));
    move(BTC, 48_900);
    expect(sim.getOrder(BTC, { orderId: stop.orderId })).toMatchObject({ status: 'FILLED', executedQty: 0.15 });
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0);
  });

  it('is rejected when it would trigger immediately', () => {
    const { sim } = setup();
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    expect(rejection(() => sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 50_100, reduceOnly: true }))).code).toBe(-2021);
  });

  it('a reduce-only stop expires when the position is gone before it fires', () => {
    const { sim, move } = setup();
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    const stop = sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 49_000, reduceOnly: true }));
    sim.placeOrder(market('MARKET', 'SELL', 0.1, { reduceOnly: true }));
    move(BTC, 48_000);
    expect(sim.getOrder(BTC, { orderId: stop.orderId }).status).toBe('EXPIRED');
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0);
  });
});

describe('reduce-only', () => {
  it.each([
    ['with no position', [], 'SELL', 0.1],
    ['that would increase the position', [0.1], 'BUY', 0.05],
    ['that would flip the position', [0.1], 'SELL', 0.2],
  ] as const)('is rejected with -2022 %s', (_, opens, side, quantity) => {
    const { sim } = setup();
    for (const amount of opens) sim.placeOrder(market('MARKET', 'BUY', amount));
    for (const type of ['MARKET', 'LIMIT', 'STOP_MARKET'] as const) {
      const extra = type === 'LIMIT' ? { price: side === 'SELL' ? 51_000 : 49_000 } : type === 'STOP_MARKET' ? { stopPrice: side === 'SELL' ? 49_000 : 51_000 } : {};
      expect(rejection(() => sim.placeOrder(market(type, side, quantity, { reduceOnly: true, ...extra })))).toEqual({ code: -2022, message: 'ReduceOnly Order is rejected.' });
    }
  });

  it('closes exactly the position when it reduces it', () => {
    const { sim } = setup();
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    expect(sim.placeOrder(market('MARKET', 'SELL', 0.1, { reduceOnly: true })).status).toBe('FILLED');
    expect(sim.positions().every((p) => p.positionAmt === 0)).toBe(true);
  });
});

describe('client order ids', () => {
  it('refuses the id of an open order with -4116, as Binance does, and leaves the first order alone', () => {
    const { sim } = setup();
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    const stop = sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 49_000, reduceOnly: true, clientOrderId: 'stop-1' }));
    expect(rejection(() => sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 48_000, reduceOnly: true, clientOrderId: 'stop-1' }))).code).toBe(-4116);
    expect(sim.openOrders(BTC).map((o) => o.orderId)).toEqual([stop.orderId]);
    expect(sim.getOrder(BTC, { clientOrderId: 'stop-1' }).stopPrice).toBe(49_000);
  });

  it('places a new order under the id of a filled or cancelled one, and a query by the id finds the newest', () => {
    const { sim } = setup();
    const first = sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: 'entry-1' }));
    const again = sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: 'entry-1' }));
    expect(again.orderId).not.toBe(first.orderId);
    expect(sim.fills()).toHaveLength(2);
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0.2);

    const resting = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 40_000, clientOrderId: 'bid-1' }));
    sim.cancelOrder(BTC, { orderId: resting.orderId });
    const replaced = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 41_000, clientOrderId: 'bid-1' }));
    expect(sim.getOrder(BTC, { clientOrderId: 'bid-1' })).toMatchObject({ orderId: replaced.orderId, price: 41_000, status: 'NEW' });
  });

  it('rejects the id of an open order on another symbol, and an id Binance would not accept', () => {
    const { sim } = setup();
    sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 40_000, clientOrderId: 'x-1' }));
    expect(rejection(() => sim.placeOrder({ symbol: ETH, side: 'BUY', type: 'LIMIT', quantity: 1, price: 2_000, clientOrderId: 'x-1' })).code).toBe(-4116);
    expect(rejection(() => sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: 'has space' }))).code).toBe(-4015);
    expect(rejection(() => sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: 'x'.repeat(37) }))).code).toBe(-4015);
  });

  it('keeps generated ids apart: an order sent as sim-N or autoclose-N is refused, never answered as another order', () => {
    const { sim } = setup();
    const unnamed = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 40_000 }));
    expect(unnamed.clientOrderId).toBe(`sim-${unnamed.orderId}`);
    const clash = rejection(() => sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: unnamed.clientOrderId })));
    expect(clash).toEqual({ code: -4015, message: 'Client order id is not valid: ids starting with "sim-" are reserved for the ids the exchange generates.' });
    expect(rejection(() => sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: 'autoclose-9' }))).code).toBe(-4015);
    expect(sim.fills()).toEqual([]);
    expect(sim.getOrder(BTC, { clientOrderId: unnamed.clientOrderId }).orderId).toBe(unnamed.orderId);
    expect(sim.placeOrder(market('MARKET', 'BUY', 0.1, { clientOrderId: 'simple-1' })).status).toBe('FILLED');
  });
});

describe('cancelling', () => {
  const placeThree = (sim: ReturnType<typeof setup>['sim']) => {
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 45_000 }));
    sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 48_000, reduceOnly: true, workingType: 'mark' }));
    sim.placeOrder(market('TAKE_PROFIT_MARKET', 'SELL', 0.1, { stopPrice: 55_000, reduceOnly: true, workingType: 'mark' }));
  };

  it('cancel all cancels the normal and the conditional orders', () => {
    const { sim } = setup();
    placeThree(sim);
    expect(sim.openOrders(BTC, 'normal')).toHaveLength(1);
    expect(sim.openOrders(BTC, 'conditional')).toHaveLength(2);
    const cancelled = sim.cancelAllOrders(BTC);
    expect(cancelled).toHaveLength(3);
    expect(cancelled.every((o) => o.status === 'CANCELED')).toBe(true);
    expect(sim.openOrders()).toEqual([]);
  });

  it('cancel all can take only one kind', () => {
    const { sim } = setup();
    placeThree(sim);
    expect(sim.cancelAllOrders(BTC, 'conditional').map((o) => o.type)).toEqual(['STOP_MARKET', 'TAKE_PROFIT_MARKET']);
    expect(sim.openOrders(BTC).map((o) => o.type)).toEqual(['LIMIT']);
  });

  it('cancel one by id or client id; an unknown or finished order is -2011, an unknown query -2013', () => {
    const { sim } = setup();
    const limit = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 45_000, clientOrderId: 'l-1' }));
    expect(sim.cancelOrder(BTC, { clientOrderId: 'l-1' }).status).toBe('CANCELED');
    expect(rejection(() => sim.cancelOrder(BTC, { orderId: limit.orderId })).code).toBe(-2011);
    expect(rejection(() => sim.cancelOrder(BTC, { orderId: 999 })).code).toBe(-2011);
    expect(rejection(() => sim.getOrder(BTC, { clientOrderId: 'nope' })).code).toBe(-2013);
    expect(rejection(() => sim.getOrder(ETH, { orderId: limit.orderId })).code).toBe(-2013);
  });
});

describe('filters', () => {
  const oddStep: MarketInfo = { ...defaultMarkets()[0]!, symbol: 'ODD/USDT:USDT', id: 'ODDUSDT', amountStep: 0.005, minAmount: 0.01 };

  it.each([
    ['an amount with more decimals than the step', { quantity: 0.0015 }, -1111],
    ['a price with more decimals than the tick', { type: 'LIMIT', price: 49_000.05 }, -1111],
    ['a zero amount', { quantity: 0 }, -4003],
    ['a notional below 5', { quantity: 0.001, type: 'LIMIT', price: 4_000 }, -4164],
    ['an amount above the market-order maximum', { quantity: 121 }, -4005],
    ['a limit without price', { type: 'LIMIT' }, -1102],
    ['a market order with a price', { price: 50_000 }, -1106],
    ['a stop without stop price', { type: 'STOP_MARKET' }, -1102],
  ] as const)('rejects %s', (_, change, code) => {
    const { sim } = setup({ startBalance: 1e9 });
    expect(rejection(() => sim.placeOrder({ ...market('MARKET', 'BUY', 0.1), ...change })).code).toBe(code);
  });

  it('explains the minimum notional as Binance does, and lets a reduce-only order below it through', () => {
    const { sim } = setup();
    expect(rejection(() => sim.placeOrder({ symbol: XRP, side: 'BUY', type: 'MARKET', quantity: 9.9 }))).toEqual({
      code: -4164,
      message: "Order's notional must be no smaller than 5 (unless you choose reduce only).",
    });
    sim.placeOrder({ symbol: XRP, side: 'BUY', type: 'MARKET', quantity: 20 });
    expect(sim.placeOrder({ symbol: XRP, side: 'SELL', type: 'MARKET', quantity: 9.9, reduceOnly: true }).status).toBe('FILLED');
  });

  it('rejects an amount off the step (-4023) or under the minimum (-4004), and an unknown symbol (-1121)', () => {
    const { sim } = setup({ markets: [oddStep], prices: { [oddStep.symbol]: 50_000 } });
    expect(rejection(() => sim.placeOrder({ symbol: oddStep.symbol, side: 'BUY', type: 'MARKET', quantity: 0.012 })).code).toBe(-4023);
    expect(rejection(() => sim.placeOrder({ symbol: oddStep.symbol, side: 'BUY', type: 'MARKET', quantity: 0.005 })).code).toBe(-4004);
    expect(sim.placeOrder({ symbol: oddStep.symbol, side: 'BUY', type: 'MARKET', quantity: 0.015 }).status).toBe('FILLED');
    expect(rejection(() => sim.placeOrder({ symbol: 'DOGE/USDT:USDT', side: 'BUY', type: 'MARKET', quantity: 1 })).code).toBe(-1121);
  });
});

describe('leverage and margin', () => {
  it('rejects leverage above the market maximum with -4028', () => {
    const { sim } = setup();
    expect(rejection(() => sim.setLeverage(BTC, 126))).toEqual({ code: -4028, message: 'Leverage 126 is not valid' });
    expect(rejection(() => sim.setLeverage(XRP, 76)).code).toBe(-4028);
    expect(sim.setLeverage(BTC, 125)).toEqual({ leverage: 125, maxNotionalValue: 50_000 });
    expect(sim.setLeverage(BTC, 20)).toEqual({ leverage: 20, maxNotionalValue: 20_000_000 });
  });

  it('rejects leverage above the tier maximum for the position held (-2027), and orders beyond the tier cap', () => {
    const { sim } = setup({ startBalance: 100_000 });
    sim.setLeverage(BTC, 20);
    sim.placeOrder(market('MARKET', 'BUY', 2));
    expect(rejection(() => sim.setLeverage(BTC, 125))).toEqual({ code: -2027, message: 'Exceeded the maximum allowable position at current leverage.' });
    expect(sim.setLeverage(BTC, 100).maxNotionalValue).toBe(250_000);
    expect(rejection(() => sim.placeOrder(market('MARKET', 'BUY', 4))).code).toBe(-2027);
  });

  it('rejects an order the available balance cannot margin with -2019', () => {
    const { sim } = setup({ startBalance: 1_000 });
    sim.setLeverage(BTC, 10);
    expect(rejection(() => sim.placeOrder(market('MARKET', 'BUY', 0.2)))).toEqual({ code: -2019, message: 'Margin is insufficient.' });
    sim.placeOrder(market('LIMIT', 'BUY', 0.15, { price: 45_000 }));
    expect(rejection(() => sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 45_000 }))).code).toBe(-2019);
    expect(sim.placeOrder(market('LIMIT', 'SELL', 0.1, { price: 55_000 })).status).toBe('NEW');
  });

  it('changes margin mode only when flat with no orders (-4046, -4047, -4048)', () => {
    const { sim } = setup();
    expect(rejection(() => sim.setMarginMode(BTC, 'cross')).code).toBe(-4046);
    const limit = sim.placeOrder(market('LIMIT', 'BUY', 0.1, { price: 45_000 }));
    expect(rejection(() => sim.setMarginMode(BTC, 'isolated')).code).toBe(-4047);
    sim.cancelOrder(BTC, { orderId: limit.orderId });
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    expect(rejection(() => sim.setMarginMode(BTC, 'isolated')).code).toBe(-4048);
    sim.placeOrder(market('MARKET', 'SELL', 0.1, { reduceOnly: true }));
    sim.setMarginMode(BTC, 'isolated');
    expect(sim.marginMode(BTC)).toBe('isolated');
  });

  it('moves isolated margin out of the cross wallet and back when the position closes', () => {
    const { sim, move } = setup();
    sim.setMarginMode(BTC, 'isolated');
    sim.setLeverage(BTC, 10);
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    expect(sim.positions().find((p) => p.symbol === BTC)!.isolatedWallet).toBeCloseTo(500, 8);
    expect(sim.account().crossWalletBalance).toBeCloseTo(10_000 - 500 - 2, 8);
    move(BTC, 51_000);
    sim.placeOrder(market('MARKET', 'SELL', 0.1, { reduceOnly: true }));
    expect(sim.account()).toMatchObject({ crossWalletBalance: sim.account().walletBalance });
    expect(sim.account().walletBalance).toBeCloseTo(10_000 - 2 + 100 - 5_100 * 0.0004, 8);
  });
});

describe('isolated margin on a partial close', () => {
  it('releases the closed share of the isolated wallet and books the PnL in the cross wallet', () => {
    const { sim, move } = setup();
    sim.setMarginMode(BTC, 'isolated');
    sim.setLeverage(BTC, 10);
    sim.placeOrder(market('MARKET', 'BUY', 0.2));
    const crossAfterOpen = sim.account().crossWalletBalance;
    move(BTC, 51_000);
    sim.placeOrder(market('MARKET', 'SELL', 0.05, { reduceOnly: true }));
    expect(sim.positions().find((p) => p.symbol === BTC)).toMatchObject({ positionAmt: 0.15, isolatedWallet: expect.closeTo(750, 8) });
    expect(sim.account().crossWalletBalance).toBeCloseTo(crossAfterOpen + 250 + 50 - 0.05 * 51_000 * 0.0004, 8);
    expect(rejection(() => sim.setLeverage(BTC, 5)).code).toBe(-4161);
  });
});

describe('funding', () => {
  it('settles every 8 hours on the mark price: longs pay and shorts receive a positive rate, isolated from its own wallet', () => {
    const { sim, events } = setup({ tickMs: 60_000, fundingRateSeries: () => 0.0001 });
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    sim.setMarginMode(ETH, 'isolated');
    sim.placeOrder({ symbol: ETH, side: 'SELL', type: 'MARKET', quantity: 1 });
    const crossBefore = sim.account().crossWalletBalance;
    const isolatedBefore = sim.positions().find((p) => p.symbol === ETH)!.isolatedWallet;
    const eight = Date.UTC(2024, 0, 1, 8, 0, 0);

    sim.advanceTo(eight - 1);
    expect(sim.account().crossWalletBalance).toBe(crossBefore);
    expect(events.filter((e) => e.type === 'funding')).toEqual([]);

    sim.advanceTo(eight);
    expect(sim.account().crossWalletBalance).toBeCloseTo(crossBefore - 0.5, 8);
    expect(sim.positions().find((p) => p.symbol === ETH)!.isolatedWallet).toBeCloseTo(isolatedBefore + 0.3, 8);
    expect(events.filter((e) => e.type === 'funding')).toEqual([
      { type: 'funding', symbol: BTC, rate: 0.0001, payment: expect.closeTo(-0.5, 8), time: eight },
      { type: 'funding', symbol: ETH, rate: 0.0001, payment: expect.closeTo(0.3, 8), time: eight },
    ]);
    expect(events.some((e) => e.type === 'account' && e.reason === 'FUNDING_FEE')).toBe(true);
    expect(sim.fundingRates(BTC).at(-1)).toEqual({ symbol: BTC, fundingRate: 0.0001, fundingTime: eight, markPrice: 50_000 });
    expect(sim.mark(BTC).nextFundingTime).toBe(Date.UTC(2024, 0, 1, 16, 0, 0));
  });

  it('derives the rate from the premium when no series is given: 0.01% interest while the premium is small', () => {
    const { sim } = setup({ tickMs: 60_000, premium: () => 0.0002 });
    sim.advanceTo(Date.UTC(2024, 0, 1, 8, 0, 0));
    expect(sim.fundingRates(BTC).at(-1)!.fundingRate).toBeCloseTo(0.0001, 10);
    const hot = setup({ tickMs: 60_000, premium: () => 0.002 });
    hot.sim.advanceTo(Date.UTC(2024, 0, 1, 8, 0, 0));
    expect(hot.sim.fundingRates(BTC).at(-1)!.fundingRate).toBeCloseTo(0.002 - 0.0005, 5);
  });
});

describe('liquidation', () => {
  it('isolated: liquidates on the mark price shared/risk predicts and closes at the bankruptcy price', () => {
    const { sim, move, events } = setup();
    sim.setMarginMode(BTC, 'isolated');
    sim.setLeverage(BTC, 20);
    sim.placeOrder(market('MARKET', 'BUY', 0.1));
    const stop = sim.placeOrder(market('STOP_MARKET', 'SELL', 0.1, { stopPrice: 40_000, reduceOnly: true, workingType: 'mark' }));
    const position = sim.positions().find((p) => p.symbol === BTC)!;
    const predicted = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: 0.1,
      entryPrice: 50_000,
      marginMode: 'isolated',
      walletBalance: 250,
      tiers: toMarginTiers(defaultMarkets()[0]!.tiers),
    })!;
    expect(position.liquidationPrice).toBeCloseTo(predicted, 8);
    expect(predicted).toBeCloseTo((250 - 5_000) / (0.1 * 0.004 - 0.1), 8);

    move(BTC, Math.ceil(predicted * 10) / 10 + 0.1);
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0.1);
    const crossBefore = sim.account().crossWalletBalance;

    move(BTC, Math.floor(predicted * 10) / 10 - 0.1);
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0);
    const liquidation = events.find((e) => e.type === 'liquidation');
    expect(liquidation).toMatchObject({ type: 'liquidation', symbol: BTC, positionAmt: 0.1, bankruptcyPrice: 47_500 });
    expect(sim.fills().at(-1)).toMatchObject({ price: 47_500, quantity: 0.1, commission: 0, realizedPnl: expect.closeTo(-250, 8) });
    expect(sim.getOrder(BTC, { orderId: stop.orderId }).status).toBe('CANCELED');
    expect(sim.account().walletBalance).toBeCloseTo(crossBefore, 8);
    expect(events.some((e) => e.type === 'account' && e.reason === 'LIQUIDATION')).toBe(true);
  });

  it('cross: liquidates when the account margin balance meets maintenance, and the wallet is lost', () => {
    const { sim, move } = setup({ startBalance: 1_000 });
    sim.setLeverage(BTC, 20);
    sim.placeOrder(market('MARKET', 'BUY', 0.2));
    const wallet = sim.account().crossWalletBalance;
    const predicted = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: 0.2,
      entryPrice: 50_000,
      marginMode: 'cross',
      walletBalance: wallet,
      tiers: toMarginTiers(defaultMarkets()[0]!.tiers),
    })!;
    expect(sim.positions().find((p) => p.symbol === BTC)!.liquidationPrice).toBeCloseTo(predicted, 8);

    move(BTC, Math.ceil(predicted * 10) / 10 + 0.1);
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0.2);
    move(BTC, Math.floor(predicted * 10) / 10 - 0.1);
    expect(sim.positions().find((p) => p.symbol === BTC)!.positionAmt).toBe(0);
    expect(sim.fills().at(-1)!.price).toBeCloseTo(50_000 - wallet / 0.2, 6);
    expect(sim.account().walletBalance).toBeCloseTo(0, 6);
  });

  it('cross: counts the other cross positions, as shared/risk does, and closes them all', () => {
    const { sim, move, events } = setup({ startBalance: 1_000 });
    sim.setLeverage(BTC, 20);
    sim.setLeverage(ETH, 20);
    sim.placeOrder(market('MARKET', 'BUY', 0.2));
    sim.placeOrder({ symbol: ETH, side: 'BUY', type: 'MARKET', quantity: 1 });
    const tiers = (i: number) => toMarginTiers(defaultMarkets()[i]!.tiers);
    const predicted = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: 0.2,
      entryPrice: 50_000,
      marginMode: 'cross',
      walletBalance: sim.account().crossWalletBalance,
      tiers: tiers(0),
      others: [{ side: 'long', contracts: 1, entryPrice: 3_000, markPrice: 3_000, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }],
    })!;
    expect(sim.positions().find((p) => p.symbol === BTC)!.liquidationPrice).toBeCloseTo(predicted, 8);
    move(BTC, Math.ceil(predicted * 10) / 10 + 0.1);
    expect(sim.positions().filter((p) => p.positionAmt !== 0)).toHaveLength(2);
    move(BTC, Math.floor(predicted * 10) / 10 - 0.1);
    expect(sim.positions().filter((p) => p.positionAmt !== 0)).toEqual([]);
    expect(events.filter((e) => e.type === 'liquidation').map((e) => e.type === 'liquidation' && e.symbol)).toEqual([BTC, ETH]);
    expect(sim.account().walletBalance).toBeCloseTo(0, 6);
  });
});

describe('candles', () => {
  it('have a warm-up history before the start, aggregated consistently across timeframes', () => {
    const sim = createSimExchange({ markets: defaultMarkets(), feed: createSyntheticFeed({ seed: 3 }), startTime: T0, startBalance: 1_000, seed: 3, warmupBars: 120 });
    const minutes = sim.candles(BTC, '1m', { limit: 1000 });
    expect(minutes.length).toBe(121);
    expect(minutes[0]!.time).toBe(T0 - 120 * 60_000);
    const fives = sim.candles(BTC, '5m', { since: T0 - 60 * 60_000, limit: 1 });
    const inside = minutes.filter((c) => c.time >= fives[0]!.time && c.time < fives[0]!.time + TIMEFRAME_MS['5m']);
    expect(fives[0]).toEqual({
      time: T0 - 60 * 60_000,
      open: inside[0]!.open,
      high: Math.max(...inside.map((c) => c.high)),
      low: Math.min(...inside.map((c) => c.low)),
      close: inside.at(-1)!.close,
      volume: expect.closeTo(inside.reduce((s, c) => s + c.volume, 0), 6),
    });
  });

  it('report live bars as klines and mark the bar a new minute closes', () => {
    const { sim, events } = setup();
    sim.advanceTo(T0 + 61_000);
    const closed = events.filter((e) => e.type === 'kline' && e.symbol === BTC && e.timeframe === '1m' && e.closed);
    expect(closed.map((e) => e.type === 'kline' && e.candle.time)).toEqual([T0]);
    expect(events.some((e) => e.type === 'mark' && e.mark.symbol === BTC && e.mark.markPrice === 50_000)).toBe(true);
  });
});

describe('determinism', () => {
  /** A seeded session: synthetic prices, a leveraged position with protection, funding, maybe a liquidation. */
  function scenario(seed: number) {
    const sim = createSimExchange({
      markets: defaultMarkets(),
      feed: createSyntheticFeed({ seed, jumpsPerDay: 12 }),
      startTime: T0,
      startBalance: 10_000,
      seed,
      tickMs: 5_000,
    });
    const events: SimEvent[] = [];
    sim.subscribe((e) => {
      if (e.type !== 'kline' && e.type !== 'mark') events.push(e);
    });
    const SOL = 'SOL/USDT:USDT';
    sim.setMarginMode(SOL, 'isolated');
    sim.setLeverage(SOL, 75);
    sim.placeOrder({ symbol: SOL, side: 'BUY', type: 'MARKET', quantity: 100, clientOrderId: 'sol-entry' });
    sim.setLeverage(BTC, 10);
    sim.placeOrder({ symbol: BTC, side: 'SELL', type: 'MARKET', quantity: 0.05, clientOrderId: 'btc-entry' });
    const entry = sim.positions().find((p) => p.symbol === BTC)!.entryPrice;
    sim.placeOrder({ symbol: BTC, side: 'BUY', type: 'STOP_MARKET', stopPrice: Math.round(entry * 1.01), workingType: 'mark', closePosition: true, clientOrderId: 'btc-stop' });
    sim.placeOrder({ symbol: ETH, side: 'BUY', type: 'LIMIT', quantity: 0.5, price: 3_400, clientOrderId: 'eth-bid' });
    sim.advanceTo(T0 + 20 * 3_600_000);
    return { events, fills: sim.fills(), account: sim.account(), fundings: sim.fundingRates(BTC), candles: sim.candles(ETH, '1h') };
  }

  it('the same seed and calls give the same fills, fees, funding and liquidations', () => {
    const first = scenario(11);
    const second = scenario(11);
    expect(second).toEqual(first);
    expect(first.events.some((e) => e.type === 'liquidation')).toBe(true);
    expect(first.events.some((e) => e.type === 'funding')).toBe(true);
    expect(first.fills.length).toBeGreaterThanOrEqual(3);
  });

  it('another seed gives another session', () => {
    expect(scenario(12).fills).not.toEqual(scenario(11).fills);
  });
});
