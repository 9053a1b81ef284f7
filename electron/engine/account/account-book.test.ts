import { describe, expect, it } from 'vitest';
import type { Order } from '../../../shared/domain';
import type { Balance, ExchangePosition } from '../exchange/adapter';
import { AccountBook } from './account-book';

const balance: Balance = { currency: 'USDT', walletBalance: 10_000, unrealizedPnl: 0, marginBalance: 10_000, availableBalance: 9_000, initialMargin: 1_000, maintenanceMargin: 20 };
const long: ExchangePosition = {
  symbol: 'BTC/USDT:USDT',
  side: 'long',
  contracts: 0.1,
  entryPrice: 60_000,
  markPrice: 60_000,
  notional: 6_000,
  unrealizedPnl: 0,
  leverage: 5,
  marginMode: 'isolated',
  initialMargin: 1_200,
  maintenanceMargin: 24,
  liquidationPrice: 48_500,
  isolatedWallet: 1_200,
};
const stop: Order = {
  id: '7',
  clientOrderId: 'ck-abc-sl-1',
  symbol: 'BTC/USDT:USDT',
  side: 'sell',
  type: 'stop_market',
  purpose: 'other',
  price: null,
  triggerPrice: 58_800,
  triggerBy: 'mark',
  amount: 0.1,
  filled: 0,
  averagePrice: null,
  status: 'open',
  reduceOnly: true,
  closePosition: false,
  conditional: true,
  timestamp: 1,
};

describe('the account book', () => {
  it('revalues positions at the latest mark and shows their stop from the open orders', () => {
    const book = new AccountBook(() => 0);
    book.replace({ balance, positions: [long], orders: [stop] });
    book.applyMark('BTC/USDT:USDT', 61_000);
    const [view] = book.positionViews();
    expect(view).toMatchObject({ markPrice: 61_000, unrealizedPnl: 100, notional: 6_100, stopPrice: 58_800, takeProfitPrice: null, origin: 'manual' });
    expect(view!.distanceToLiquidationPct).toBeCloseTo(((61_000 - 48_500) / 61_000) * 100, 9);
    expect(book.accountState()).toMatchObject({ equity: 10_100, freeMargin: 9_000, effectiveLeverage: 6_100 / 10_100 });
  });

  it('treats a positions update as the full list: a symbol left out is flat', () => {
    const book = new AccountBook(() => 0);
    book.replace({ balance, positions: [long, { ...long, symbol: 'ETH/USDT:USDT' }], orders: [] });
    book.applyPositions([long]);
    expect(book.exchangePositions().map((p) => p.symbol)).toEqual(['BTC/USDT:USDT']);
  });

  it("reports a position the bot is opening as the bot's from its very first update", () => {
    const book = new AccountBook(() => 0);
    book.replace({ balance, positions: [], orders: [] });
    book.setOrigin('BTC/USDT:USDT', 'bot');
    book.replace({ balance, positions: [], orders: [] });
    book.applyPositions([long]);
    expect(book.positionViews()[0]!.origin).toBe('bot');
    book.applyPositions([]);
    book.applyPositions([long]);
    expect(book.positionViews()[0]!.origin).toBe('manual');
  });

  it('forgets the origin of an entry that never opened a position', () => {
    const book = new AccountBook(() => 0);
    book.setOrigin('BTC/USDT:USDT', 'bot');
    book.forgetPendingOrigin('BTC/USDT:USDT');
    book.applyPositions([long]);
    expect(book.positionViews()[0]!.origin).toBe('manual');
  });

  it('tells listeners when an open position changes hands', () => {
    const book = new AccountBook(() => 0);
    book.replace({ balance, positions: [long], orders: [] });
    const changes: string[] = [];
    book.onChange((change) => changes.push(change));
    book.setOrigin('BTC/USDT:USDT', 'bot');
    expect(changes).toEqual(['positions']);
  });

  it('keeps figures a balance update does not carry', () => {
    const book = new AccountBook(() => 0);
    book.applyBalance(balance);
    book.applyBalance({ ...balance, walletBalance: 10_050, availableBalance: Number.NaN, initialMargin: Number.NaN });
    expect(book.accountState()).toMatchObject({ walletBalance: 10_050, freeMargin: 9_000, usedMargin: 1_000 });
  });

  it('drops an order once it is no longer open, and reports what reconciliation changed', () => {
    const book = new AccountBook(() => 0);
    book.replace({ balance, positions: [], orders: [stop] });
    book.applyOrder({ ...stop, status: 'canceled' });
    expect(book.openOrders()).toEqual([]);
    const diff = book.replace({ balance, positions: [long], orders: [] });
    expect(diff).toMatchObject({ adopted: ['BTC/USDT:USDT'], vanished: [], ordersAdded: [], ordersRemoved: [] });
  });
});
