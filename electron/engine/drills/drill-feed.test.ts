import { describe, expect, it } from 'vitest';
import type { PriceFeed } from '../sim/types';
import { createDrillFeed } from './drill-feed';
import { parseScenario } from './scenario';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const T0 = Date.UTC(2025, 0, 1, 7, 0, 0);

/** A feed whose BTC rises 1 USDT a second from 60,000 and whose ETH stays at 3,000. */
const rising: PriceFeed = {
  next: (symbol, time) => ({ price: symbol === BTC ? 60_000 + (time - T0) / 1000 : 3_000, volume: 2 }),
  fundingRate: () => 0.0001,
};

const scenario = parseScenario(
  { name: 'crash', symbols: { [BTC]: { path: [{ at: 0, change: 0 }, { at: 100, change: -10 }], funding: [{ at: 0, rate: 0.3 }] } } },
  'test',
);

describe('a drill played over a feed', () => {
  it('moves the named symbol relative to its last price before the start, and leaves the others alone', () => {
    const feed = createDrillFeed(rising);
    feed.next(BTC, T0 + 10_000);
    feed.play(scenario, T0 + 10_000);
    expect(feed.next(BTC, T0 + 60_000).price).toBeCloseTo(60_010 * 0.95, 6);
    expect(feed.next(BTC, T0 + 110_000)).toEqual({ price: expect.closeTo(60_010 * 0.9, 6), volume: 2 });
    expect(feed.next(BTC, T0 + 500_000).price).toBeCloseTo(60_010 * 0.9, 6);
    expect(feed.next(ETH, T0 + 500_000).price).toBe(3_000);
    expect(feed.active()?.anchors).toEqual({ [BTC]: 60_010 });
  });

  it('waits for a start scheduled ahead, and returns every price to the feed beneath on stop', () => {
    const feed = createDrillFeed(rising);
    feed.play(scenario, T0 + 30_000);
    expect(feed.next(BTC, T0 + 20_000).price).toBe(60_020);
    expect(feed.next(BTC, T0 + 80_000).price).toBeCloseTo(60_020 * 0.95, 6);
    feed.stop();
    expect(feed.next(BTC, T0 + 90_000).price).toBe(60_090);
    expect(feed.active()).toBeNull();
  });

  it('settles funding at the scenario rate inside the drill and at the feed’s outside it', () => {
    const feed = createDrillFeed(rising);
    feed.play(scenario, T0);
    expect(feed.fundingRate!(BTC, T0 + 60_000)).toBeCloseTo(0.003, 12);
    expect(feed.fundingRate!(ETH, T0 + 60_000)).toBe(0.0001);
    expect(feed.fundingRate!(BTC, T0 + 101_000)).toBe(0.0001);
    expect(feed.fundingRate!(BTC, T0 - 1)).toBe(0.0001);
  });
});
