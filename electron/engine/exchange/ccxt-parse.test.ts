import { describe, expect, it } from 'vitest';
import { maintenanceMargin, toMarginTiers } from '../../../shared/risk/tiers';
import { toFill, toPosition, toTiers } from './ccxt-parse';
import { baseToContracts, contractSizeOf, contractsToBase } from './contract-size';

/** Rows as ccxt's fetchLeverageTiers returns them: unified fields, and the exchange's raw row in `info`. */
const binanceRow = (minNotional: number, maxNotional: number, rate: number, cum: string, maxLeverage: number) => ({
  minNotional,
  maxNotional,
  maintenanceMarginRate: rate,
  maxLeverage,
  info: { bracket: '1', notionalFloor: String(minNotional), notionalCap: String(maxNotional), maintMarginRatio: String(rate), cum },
});
const bybitRow = (minNotional: number, maxNotional: number, rate: number, mmDeduction: string | undefined, maxLeverage: number) => ({
  minNotional,
  maxNotional,
  maintenanceMarginRate: rate,
  maxLeverage,
  info: { id: 1, symbol: 'BTCUSDT', riskLimitValue: String(maxNotional), maintenanceMargin: String(rate), maxLeverage: String(maxLeverage), ...(mmDeduction === undefined ? {} : { mmDeduction }) },
});

describe('leverage tiers from ccxt', () => {
  it('keeps Binance’s own cum as the maintenance amount', () => {
    const tiers = toTiers([binanceRow(0, 50_000, 0.004, '0.0', 125), binanceRow(50_000, 600_000, 0.005, '50.0', 100)]);
    expect(tiers.map((t) => t.maintenanceAmount)).toEqual([0, 50]);
  });

  it('keeps Bybit’s mmDeduction as the maintenance amount, so MM = value × MMR − deduction', () => {
    const tiers = toTiers([bybitRow(0, 2_000_000, 0.005, '', 100), bybitRow(2_000_000, 2_600_000, 0.0056, '1200', 90)]);
    expect(tiers[1]).toMatchObject({ minNotional: 2_000_000, maintenanceMarginRate: 0.0056, maintenanceAmount: 1_200, maxLeverage: 90 });
    expect(maintenanceMargin(2_500_000, toMarginTiers(tiers))).toBeCloseTo(2_500_000 * 0.0056 - 1_200, 6);
  });

  it('derives the maintenance amounts when the exchange gives only rates: cum_n = floor_n × (MMR_n − MMR_n−1) + cum_n−1', () => {
    const tiers = toTiers([bybitRow(0, 2_000_000, 0.005, undefined, 100), bybitRow(2_000_000, 2_600_000, 0.0056, undefined, 90), bybitRow(2_600_000, 3_200_000, 0.0062, undefined, 80)]);
    expect(tiers[0]!.maintenanceAmount).toBe(0);
    expect(tiers[1]!.maintenanceAmount).toBeCloseTo(2_000_000 * 0.0006, 6);
    expect(tiers[2]!.maintenanceAmount).toBeCloseTo(2_600_000 * 0.0006 + 1_200, 6);
  });

  it('gives no tiers when the exchange has none, rather than inventing one', () => {
    expect(toTiers(undefined)).toEqual([]);
    expect(toTiers([])).toEqual([]);
  });
});

describe('amounts in contracts of contractSize base units (OKX)', () => {
  it('gives a fill’s amount in the base asset', () => {
    const fill = toFill({ order: '1', symbol: 'BTC/USDT:USDT', side: 'sell', price: 60_000, amount: 3, fee: { cost: 0.9 }, timestamp: 5, info: {} }, 0.01);
    expect(fill).toMatchObject({ amount: 0.03, price: 60_000 });
  });

  it('converts without float noise, so rounding down to the step keeps every whole contract', () => {
    expect(baseToContracts(0.0007, 0.01)).toBe(0.07);
    expect(contractsToBase(0.57, 0.01)).toBe(0.0057);
    expect(contractsToBase(7, 1000)).toBe(7000);
  });

  it('leaves one-base-unit contracts (Binance, Bybit linear) untouched', () => {
    expect(contractSizeOf({ contractSize: 1 })).toBe(1);
    expect(contractSizeOf({})).toBe(1);
    expect(toPosition({ symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.009, notional: 600, leverage: 10 }, undefined, contractSizeOf({ contractSize: 1 }))?.contracts).toBe(0.009);
  });
});
