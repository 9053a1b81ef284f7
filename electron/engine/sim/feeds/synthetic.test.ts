import { describe, expect, it } from 'vitest';
import { createSyntheticFeed } from './synthetic';

const BTC = 'BTC/USDT:USDT';
const T0 = Date.UTC(2024, 0, 1);

function series(feed: ReturnType<typeof createSyntheticFeed>, symbol: string, count: number, stepMs = 1_000) {
  return Array.from({ length: count }, (_, i) => feed.next(symbol, T0 + i * stepMs));
}

function logReturns(prices: number[]): number[] {
  return prices.slice(1).map((p, i) => Math.log(p / prices[i]!));
}

function autocorrelation(values: number[], lag: number): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < values.length; i++) {
    denominator += (values[i]! - mean) ** 2;
    if (i >= lag) numerator += (values[i]! - mean) * (values[i - lag]! - mean);
  }
  return numerator / denominator;
}

describe('synthetic feed', () => {
  it('is deterministic under a seed: the same seed gives the identical series', () => {
    const a = series(createSyntheticFeed({ seed: 42 }), BTC, 5_000);
    const b = series(createSyntheticFeed({ seed: 42 }), BTC, 5_000);
    expect(b).toEqual(a);
  });

  it('another seed gives another series', () => {
    const a = series(createSyntheticFeed({ seed: 42 }), BTC, 100).map((p) => p.price);
    const b = series(createSyntheticFeed({ seed: 43 }), BTC, 100).map((p) => p.price);
    expect(b).not.toEqual(a);
    expect(a[0]).toBe(b[0]);
  });

  it('does not depend on how often it is sampled, nor on other symbols being read', () => {
    const everySecond = createSyntheticFeed({ seed: 5 });
    const everyQuarter = createSyntheticFeed({ seed: 5 });
    for (let t = 0; t <= 600_000; t += 250) {
      everyQuarter.next(BTC, T0 + t);
      everyQuarter.next('ETH/USDT:USDT', T0 + t);
    }
    const coarse = series(everySecond, BTC, 601).at(-1)!;
    const fine = everyQuarter.next(BTC, T0 + 600_000);
    expect(fine.price).toBe(coarse.price);
  });

  it('starts at the start price and stays positive', () => {
    const feed = createSyntheticFeed({ seed: 1, startPrices: { [BTC]: 30_000 } });
    const prices = series(feed, BTC, 20_000, 5_000).map((p) => p.price);
    expect(prices[0]).toBeCloseTo(30_000, 6);
    expect(Math.min(...prices)).toBeGreaterThan(0);
  });

  it('has volatility clustering: squared returns are positively autocorrelated', () => {
    const prices = series(createSyntheticFeed({ seed: 9, jumpsPerDay: 0 }), BTC, 50_000).map((p) => p.price);
    const squared = logReturns(prices).map((r) => r * r);
    expect(autocorrelation(squared, 1)).toBeGreaterThan(0.05);
    const calm = series(createSyntheticFeed({ seed: 9, jumpsPerDay: 0, garch: { alpha: 0, beta: 0 } }), BTC, 50_000).map((p) => p.price);
    expect(Math.abs(autocorrelation(logReturns(calm).map((r) => r * r), 1))).toBeLessThan(0.02);
  });

  it('has a realistic volatility and occasional jumps far beyond it', () => {
    const prices = series(createSyntheticFeed({ seed: 4, jumpsPerDay: 24 }), BTC, 86_400).map((p) => p.price);
    const returns = logReturns(prices);
    const perSecond = 0.55 / Math.sqrt(365 * 86_400);
    const std = Math.sqrt(returns.reduce((s, r) => s + r * r, 0) / returns.length);
    expect(std).toBeGreaterThan(perSecond * 0.5);
    expect(std).toBeLessThan(perSecond * 4);
    const jumps = returns.filter((r) => Math.abs(r) > 10 * perSecond).length;
    expect(jumps).toBeGreaterThanOrEqual(5);
    expect(jumps).toBeLessThan(100);
  });

  it('reports the volume traded since the previous call', () => {
    const feed = createSyntheticFeed({ seed: 2 });
    expect(feed.next(BTC, T0).volume).toBe(0);
    const minute = feed.next(BTC, T0 + 60_000).volume;
    expect(minute).toBeGreaterThan(2.5 * 60 * 0.3);
    expect(minute).toBeLessThan(2.5 * 60 * 10);
    expect(feed.next(BTC, T0 + 60_000).volume).toBe(0);
  });

  it('explains bad use', () => {
    const feed = createSyntheticFeed({ seed: 1 });
    expect(() => feed.next('DOGE/USDT:USDT', T0)).toThrow(/no profile for DOGE\/USDT:USDT/);
    feed.next(BTC, T0 + 1_000);
    expect(() => feed.next(BTC, T0)).toThrow(/backwards/);
    expect(() => createSyntheticFeed({ seed: 1, garch: { alpha: 0.5, beta: 0.6 } })).toThrow(/alpha \+ beta < 1/);
    expect(() => createSyntheticFeed({ seed: 1, startPrices: { [BTC]: -1 } }).next(BTC, T0)).toThrow(/above zero/);
  });
});
