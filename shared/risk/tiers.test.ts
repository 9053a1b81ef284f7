import { describe, expect, it } from 'vitest';
import type { MarketTier } from '../domain';
import type { MarginTier } from './liquidation';
import { maintenanceMargin, maxLeverageForNotional, tierIndexForNotional, toMarginTiers, validateMarginTiers, withCumulativeAmounts } from './tiers';

const MARKET_TIERS: MarketTier[] = [
  { minNotional: 0, maxNotional: 50_000, maintenanceMarginRate: 0.004, maintenanceAmount: 0, maxLeverage: 125 },
  { minNotional: 50_000, maxNotional: 250_000, maintenanceMarginRate: 0.005, maintenanceAmount: 50, maxLeverage: 100 },
  { minNotional: 250_000, maxNotional: 1_000_000, maintenanceMarginRate: 0.01, maintenanceAmount: 1_300, maxLeverage: 50 },
  { minNotional: 1_000_000, maxNotional: 10_000_000, maintenanceMarginRate: 0.025, maintenanceAmount: 16_300, maxLeverage: 20 },
];

const rates = (tiers: readonly MarginTier[]) => tiers.map(({ maintenanceAmount: _, ...rest }) => rest);

describe('maintenance amounts from rates only', () => {
  // Binance, "How to Calculate Liquidation Price of USDⓈ-M Futures Contracts"
  // (https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93):
  // Maintenance Amount on Level n = floor_n × (MMR_n − MMR_{n−1}) + Maintenance Amount on Level n−1,
  // e.g. 250,000 × (1% − 0.5%) + 50 USDT = 1,300 USDT.
  it("reproduces Binance's worked example: 250,000 × (1% − 0.5%) + 50 = 1,300", () => {
    const derived = withCumulativeAmounts(rates(toMarginTiers(MARKET_TIERS)));
    expect(derived[2]!.maintenanceAmount).toBeCloseTo(1_300, 9);
  });

  it('reproduces the cum values of the liquidation example (16,300 at 2.5%)', () => {
    const derived = withCumulativeAmounts(rates(toMarginTiers(MARKET_TIERS)));
    expect(derived.map((t) => t.maintenanceAmount)).toEqual([0, 50, expect.closeTo(1_300, 9), expect.closeTo(16_300, 9)]);
  });

  it('keeps maintenance margin continuous at every boundary', () => {
    const derived = withCumulativeAmounts([
      { minNotional: 0, maxNotional: 10_000, maintenanceMarginRate: 0.005 },
      { minNotional: 10_000, maxNotional: 100_000, maintenanceMarginRate: 0.0065 },
      { minNotional: 100_000, maxNotional: 500_000, maintenanceMarginRate: 0.01 },
    ]);
    for (const boundary of [10_000, 100_000]) {
      const below = derived.find((t) => t.maxNotional === boundary)!;
      expect(boundary * below.maintenanceMarginRate - below.maintenanceAmount).toBeCloseTo(maintenanceMargin(boundary, derived), 9);
    }
  });

  it('rejects rates that would make a maintenance amount negative', () => {
    expect(() =>
      withCumulativeAmounts([
        { minNotional: 0, maxNotional: 10, maintenanceMarginRate: 0.05 },
        { minNotional: 10, maxNotional: 20, maintenanceMarginRate: 0.01 },
      ]),
    ).toThrow(/maintenance amount/);
  });
});

describe('toMarginTiers', () => {
  it("keeps the exchange's own maintenance amounts and drops max leverage", () => {
    expect(toMarginTiers(MARKET_TIERS)[3]).toEqual({ minNotional: 1_000_000, maxNotional: 10_000_000, maintenanceMarginRate: 0.025, maintenanceAmount: 16_300 });
  });
});

describe('tier lookup', () => {
  const tiers = toMarginTiers(MARKET_TIERS);

  it('finds the tier holding a notional; a boundary belongs to the higher tier', () => {
    expect(tierIndexForNotional(0, tiers)).toBe(0);
    expect(tierIndexForNotional(49_999.99, tiers)).toBe(0);
    expect(tierIndexForNotional(50_000, tiers)).toBe(1);
  });

  it('uses the last tier beyond the last boundary', () => {
    expect(tierIndexForNotional(1e12, tiers)).toBe(3);
  });

  it('computes maintenance margin as notional × MMR − amount of that tier', () => {
    expect(maintenanceMargin(109.488 * 31_967.27, tiers)).toBeCloseTo(71_200.81144, 5);
    expect(maintenanceMargin(10_000, tiers)).toBeCloseTo(40, 9);
  });

  it('gives the exchange maximum leverage for a notional', () => {
    expect(maxLeverageForNotional(10_000, MARKET_TIERS)).toBe(125);
    expect(maxLeverageForNotional(50_000, MARKET_TIERS)).toBe(100);
    expect(maxLeverageForNotional(2_000_000, MARKET_TIERS)).toBe(20);
  });

  it('rejects a negative notional and empty tiers', () => {
    expect(() => tierIndexForNotional(-1, tiers)).toThrow(/notional/);
    expect(() => tierIndexForNotional(1, [])).toThrow(/empty/);
  });
});

describe('validateMarginTiers', () => {
  const good = toMarginTiers(MARKET_TIERS);
  it('accepts well-formed tiers', () => {
    expect(() => validateMarginTiers(good)).not.toThrow();
  });

  it.each<[string, MarginTier[], RegExp]>([
    ['no tiers', [], /empty/],
    ['a first tier not starting at 0', [{ ...good[0]!, minNotional: 5 }], /tier 1 must start at notional 0/],
    ['a gap between tiers', [good[0]!, { ...good[1]!, minNotional: 60_000 }], /tier 2 must start at notional 50000/],
    ['a tier ending where it starts', [{ ...good[0]!, maxNotional: 0 }], /tier 1 must end above/],
    ['a NaN end', [{ ...good[0]!, maxNotional: Number.NaN }], /tier 1 must end above/],
    ['a rate of 1', [{ ...good[0]!, maintenanceMarginRate: 1 }], /rate must be in \[0, 1\)/],
    ['a negative rate', [{ ...good[0]!, maintenanceMarginRate: -0.01 }], /rate must be in \[0, 1\)/],
    ['a negative amount', [{ ...good[0]!, maintenanceAmount: -1 }], /maintenance amount/],
  ])('rejects %s', (_, tiers, message) => {
    expect(() => validateMarginTiers(tiers)).toThrow(message);
  });
});
