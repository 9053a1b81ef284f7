import { describe, expect, it } from 'vitest';
import { realisedVolatility } from '../strategy/realised-volatility';
import { VolatilitySampler } from './volatility-sampler';

const MIN = 60_000;

describe('volatility sampler', () => {
  it('takes the last mark of each minute as its close, and measures closed minutes once there are enough', () => {
    const sampler = new VolatilitySampler({ window: 10, minReturns: 3 });
    sampler.add('BTC', 100, 0);
    sampler.add('BTC', 999, 20_000);
    sampler.add('BTC', 100, 59_999);
    sampler.add('BTC', 102, MIN);
    sampler.add('BTC', 100, 2 * MIN);
    sampler.add('BTC', 102, 3 * MIN);
    expect(sampler.measurePct()).toEqual({});
    sampler.add('BTC', 500, 4 * MIN);
    expect(sampler.measurePct().BTC).toBeCloseTo(realisedVolatility([100, 102, 100, 102], '1m') * 100, 10);
  });

  it('does not move with the minute still in progress', () => {
    const sampler = new VolatilitySampler({ window: 10, minReturns: 2 });
    for (let i = 0; i < 4; i++) sampler.add('BTC', 100 + (i % 2), i * MIN);
    const before = sampler.measurePct().BTC;
    sampler.add('BTC', 10_000, 3 * MIN + 30_000);
    expect(sampler.measurePct().BTC).toBe(before);
  });

  it('keeps only its window and ignores late or bad prices', () => {
    const sampler = new VolatilitySampler({ window: 3, minReturns: 3 });
    for (let i = 0; i < 10; i++) sampler.add('ETH', 100 + (i % 3), i * MIN);
    sampler.add('ETH', 5_000, 2 * MIN);
    sampler.add('ETH', NaN, 11 * MIN);
    sampler.add('ETH', -1, 11 * MIN);
    // closed bars 5..8 close at 102, 100, 101, 102; bar 9 is still open
    expect(sampler.measurePct().ETH).toBeCloseTo(realisedVolatility([102, 100, 101, 102], '1m') * 100, 10);
  });

  it('a calm market measures far below a wild one', () => {
    const sampler = new VolatilitySampler({ minReturns: 20 });
    for (let i = 0; i <= 31; i++) {
      sampler.add('CALM', 100 * (1 + 0.0001 * (i % 2)), i * MIN);
      sampler.add('WILD', 100 * (1 + 0.02 * (i % 2)), i * MIN);
    }
    const vol = sampler.measurePct();
    expect(vol.WILD! / vol.CALM!).toBeGreaterThan(100);
    expect(vol.WILD!).toBeGreaterThan(250);
  });
});
