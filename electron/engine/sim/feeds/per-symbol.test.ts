import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../../shared/domain';
import type { PriceFeed } from '../types';
import { createPerSymbolFeed } from './per-symbol';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

function constantFeed(price: number, history?: Candle[]): PriceFeed & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    next: (symbol) => {
      asked.push(symbol);
      return { price, volume: 1 };
    },
    ...(history ? { history: () => history } : {}),
  };
}

describe('per-symbol price feed', () => {
  it('reads each named symbol from its own feed and every other symbol from the fallback', () => {
    const replay = constantFeed(100);
    const fallback = constantFeed(5);
    const feed = createPerSymbolFeed({ feeds: { [BTC]: replay }, fallback });
    expect(feed.next(BTC, 0).price).toBe(100);
    expect(feed.next(ETH, 0).price).toBe(5);
    expect(replay.asked).toEqual([BTC]);
    expect(fallback.asked).toEqual([ETH]);
  });

  it("passes on a feed's history, and gives none for a feed that has none", () => {
    const bar: Candle = { time: 0, open: 1, high: 2, low: 1, close: 2, volume: 3 };
    const feed = createPerSymbolFeed({ feeds: { [BTC]: constantFeed(100, [bar]) }, fallback: constantFeed(5) });
    expect(feed.history!(BTC, 60_000, 1)).toEqual([bar]);
    expect(feed.history!(ETH, 60_000, 1)).toEqual([]);
  });

  it('ends where the latest named feed ends, and passes on the funding rate of each symbol\'s feed', () => {
    const ending = (end: number | undefined, rate?: number): PriceFeed => ({ ...constantFeed(1), end: () => end, ...(rate !== undefined ? { fundingRate: () => rate } : {}) });
    const feed = createPerSymbolFeed({ feeds: { [BTC]: ending(5_000, 0.0007), [ETH]: ending(9_000) }, fallback: ending(1e12) });
    expect(feed.end!()).toBe(9_000);
    expect(feed.fundingRate!(BTC, 0)).toBe(0.0007);
    expect(feed.fundingRate!(ETH, 0)).toBeUndefined();
    expect(createPerSymbolFeed({ feeds: { [BTC]: ending(undefined) }, fallback: ending(1e12) }).end!()).toBeUndefined();
  });

  it('does not mistake inherited object keys for symbols', () => {
    const feed = createPerSymbolFeed({ feeds: {}, fallback: constantFeed(5) });
    expect(feed.next('constructor', 0).price).toBe(5);
  });
});
