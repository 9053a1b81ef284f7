import { describe, expect, it } from 'vitest';
import { fundingRateFromPremium, MarkPriceModel, nextFundingTime } from './mark-price';
import { createRng } from './random';

describe('funding rate from the premium', () => {
  it('is the 0.01% interest while the premium stays within ±0.05% of it', () => {
    expect(fundingRateFromPremium(0)).toBeCloseTo(0.0001, 12);
    expect(fundingRateFromPremium(0.0004)).toBeCloseTo(0.0001, 12);
    expect(fundingRateFromPremium(-0.0003)).toBeCloseTo(0.0001, 12);
  });

  it('follows the premium beyond that, up to the ±0.3% cap', () => {
    expect(fundingRateFromPremium(0.001)).toBeCloseTo(0.0005, 12);
    expect(fundingRateFromPremium(-0.001)).toBeCloseTo(-0.0005, 12);
    expect(fundingRateFromPremium(0.02)).toBe(0.003);
    expect(fundingRateFromPremium(-0.02)).toBe(-0.003);
  });
});

describe('funding times', () => {
  it('are 00:00, 08:00 and 16:00 UTC', () => {
    expect(nextFundingTime(Date.UTC(2024, 0, 1, 0, 0, 0))).toBe(Date.UTC(2024, 0, 1, 8));
    expect(nextFundingTime(Date.UTC(2024, 0, 1, 15, 59, 59))).toBe(Date.UTC(2024, 0, 1, 16));
    expect(nextFundingTime(Date.UTC(2024, 0, 1, 23, 0))).toBe(Date.UTC(2024, 0, 2, 0));
  });
});

describe('mark price', () => {
  it('sits between index and last after a sudden premium, and converges to the last price', () => {
    let premium = 0;
    const model = new MarkPriceModel(createRng(1), () => premium);
    model.update(100, 0);
    premium = 0.01;
    const wick = model.update(101, 1_000);
    expect(wick.index).toBeCloseTo(100, 9);
    expect(wick.mark).toBeGreaterThan(100);
    expect(wick.mark).toBeLessThan(100.1);
    const later = model.update(101, 600_000);
    expect(later.mark).toBeCloseTo(101, 6);
  });

  it('has a seeded premium of a few basis points by default', () => {
    const model = new MarkPriceModel(createRng(3));
    let widest = 0;
    for (let t = 0; t < 3_600_000; t += 1_000) {
      const state = model.update(100, t);
      widest = Math.max(widest, Math.abs(100 / state.index - 1));
    }
    expect(widest).toBeGreaterThan(0.0001);
    expect(widest).toBeLessThan(0.003);
  });
});
