import { describe, expect, it } from 'vitest';
import type { Ticker } from '../../../shared/domain';
import { TickerStore } from './ticker-store';

const ticker = (symbol: string, mark: number, time: number): Ticker => ({ symbol, last: mark, mark, index: mark, fundingRate: 0, nextFundingTime: 0, time });

describe('TickerStore', () => {
  it("tells only the symbol's listeners about its new ticker", () => {
    const store = new TickerStore();
    const heard: string[] = [];
    store.subscribe('BTC/USDT:USDT', () => heard.push('btc'));
    store.subscribe('ETH/USDT:USDT', () => heard.push('eth'));
    store.set(ticker('BTC/USDT:USDT', 100, 1));
    expect(heard).toEqual(['btc']);
    expect(store.get('BTC/USDT:USDT')?.mark).toBe(100);
  });

  it('ignores a ticker older than the one it holds', () => {
    const store = new TickerStore();
    store.set(ticker('BTC/USDT:USDT', 100, 2));
    store.set(ticker('BTC/USDT:USDT', 90, 1));
    expect(store.get('BTC/USDT:USDT')?.mark).toBe(100);
  });

  it('stops telling a listener once it unsubscribes', () => {
    const store = new TickerStore();
    let calls = 0;
    const off = store.subscribe('BTC/USDT:USDT', () => calls++);
    off();
    store.set(ticker('BTC/USDT:USDT', 1, 1));
    expect(calls).toBe(0);
  });
});
