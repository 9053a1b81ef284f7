import { describe, expect, it } from 'vitest';
import { validateMarginTiers } from '../../../shared/risk/tiers';
import { defaultMarkets, maxNotionalAtLeverage } from './markets';

const bySymbol = Object.fromEntries(defaultMarkets().map((m) => [m.symbol, m]));

describe('default markets', () => {
  it('are the four USDT perpetuals with Binance filters and fees', () => {
    expect(Object.keys(bySymbol)).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT']);
    expect(bySymbol['BTC/USDT:USDT']).toMatchObject({ id: 'BTCUSDT', tickSize: 0.1, amountStep: 0.001, minAmount: 0.001, maxAmount: 1000, maxMarketAmount: 120, minNotional: 5, takerFee: 0.0004, makerFee: 0.0002, maxLeverage: 125 });
    expect(bySymbol['ETH/USDT:USDT']).toMatchObject({ id: 'ETHUSDT', tickSize: 0.01, amountStep: 0.001, maxMarketAmount: 2000, maxLeverage: 100 });
    expect(bySymbol['SOL/USDT:USDT']).toMatchObject({ id: 'SOLUSDT', tickSize: 0.01, amountStep: 1, minAmount: 1, minNotional: 5 });
    expect(bySymbol['XRP/USDT:USDT']).toMatchObject({ id: 'XRPUSDT', tickSize: 0.0001, amountStep: 0.1, minAmount: 0.1, maxMarketAmount: 2_000_000, maxLeverage: 75 });
  });

  it("carry Binance's BTCUSDT leverage brackets: floors, rates, initial leverage and cumulative amounts", () => {
    const tiers = bySymbol['BTC/USDT:USDT']!.tiers;
    expect(tiers.map((t) => [t.minNotional, t.maintenanceMarginRate, t.maxLeverage, t.maintenanceAmount])).toEqual([
      [0, 0.004, 125, 0],
      [50_000, 0.005, 100, 50],
      [250_000, 0.01, 50, 1_300],
      [3_000_000, 0.025, 20, 46_300],
      [20_000_000, 0.05, 10, 546_300],
      [40_000_000, 0.1, 5, 2_546_300],
      [100_000_000, 0.125, 4, 5_046_300],
      [120_000_000, 0.15, 3, 8_046_300],
      [200_000_000, 0.25, 2, 28_046_300],
      [300_000_000, 0.5, 1, 103_046_300],
    ]);
  });

  it('have contiguous tiers with the maintenance margin continuous at every boundary', () => {
    for (const market of defaultMarkets()) {
      validateMarginTiers(market.tiers);
      market.tiers.slice(1).forEach((tier, i) => {
        const below = market.tiers[i]!;
        const atBoundary = (t: typeof tier) => tier.minNotional * t.maintenanceMarginRate - t.maintenanceAmount;
        expect(atBoundary(tier)).toBeCloseTo(atBoundary(below), 6);
        expect(tier.maxLeverage).toBeLessThan(below.maxLeverage);
      });
    }
  });

  it("give the notional cap of each leverage, as Binance's leverage endpoint reports it", () => {
    const btc = bySymbol['BTC/USDT:USDT']!;
    expect(maxNotionalAtLeverage(btc, 125)).toBe(50_000);
    expect(maxNotionalAtLeverage(btc, 101)).toBe(50_000);
    expect(maxNotionalAtLeverage(btc, 20)).toBe(20_000_000);
    expect(maxNotionalAtLeverage(btc, 126)).toBe(0);
    expect(maxNotionalAtLeverage(bySymbol['XRP/USDT:USDT']!, 75)).toBe(10_000);
  });
});
