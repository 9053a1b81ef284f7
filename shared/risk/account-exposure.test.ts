import { describe, expect, it } from 'vitest';
import type { Position } from '../domain';
import { measureExposure } from './account-exposure';
import type { MarginTier } from './liquidation';
import { flatAccount } from '../fixtures/account.fixture';

/** A position whose isolated wallet is its margin at entry, unless the test says otherwise. */
const pos = (overrides: Partial<Position> = {}): Position => {
  const p: Omit<Position, 'isolatedWallet'> = {
    symbol: 'BTC/USDT:USDT',
    side: 'long',
    contracts: 1,
    entryPrice: 50_000,
    markPrice: 50_000,
    notional: 50_000,
    unrealizedPnl: 0,
    leverage: 10,
    marginMode: 'isolated',
    initialMargin: 5_000,
    maintenanceMargin: 200,
    liquidationPrice: 45_200,
    distanceToLiquidationPct: 9.6,
    origin: 'bot',
    stopPrice: null,
    takeProfitPrice: null,
    updatedAt: 0,
    ...overrides,
  };
  return { ...p, isolatedWallet: overrides.isolatedWallet ?? (p.marginMode === 'isolated' ? (p.contracts * p.entryPrice) / p.leverage : 0) };
};

const account = (walletBalance: number) => flatAccount(walletBalance);

const flatTier: MarginTier[] = [{ minNotional: 0, maxNotional: 1e12, maintenanceMarginRate: 0.004, maintenanceAmount: 0 }];

describe('exposure at the latest mark', () => {
  it('re-prices a position at a new mark: PnL into equity, margin, ratio and distance to liquidation', () => {
    const measured = measureExposure({ positions: [pos()], account: account(20_000), marks: new Map([['BTC/USDT:USDT', 47_000]]), tiers: () => flatTier });
    expect(measured.equity).toBe(17_000);
    const [p] = measured.positions;
    expect(p!.margin).toBe(4_700);
    // maintenance 47,000 × 0.4% = 188 over isolated wallet 5,000 − 3,000 loss
    expect(p!.marginRatioPct).toBeCloseTo((188 / 2_000) * 100, 10);
    expect(p!.distanceToLiquidationPct).toBeCloseTo(((47_000 - 45_200) / 47_000) * 100, 10);
  });

  it('without tiers, scales the reported maintenance margin with the mark', () => {
    const measured = measureExposure({ positions: [pos()], account: account(20_000), marks: new Map([['BTC/USDT:USDT', 55_000]]), tiers: () => null });
    expect(measured.positions[0]!.marginRatioPct).toBeCloseTo((220 / 10_000) * 100, 10);
  });

  it('caps an isolated ratio at 100% once the margin is gone', () => {
    const measured = measureExposure({ positions: [pos()], account: account(20_000), marks: new Map([['BTC/USDT:USDT', 44_000]]), tiers: () => flatTier });
    expect(measured.positions[0]!.marginRatioPct).toBe(100);
    expect(measured.positions[0]!.distanceToLiquidationPct).toBeLessThan(0);
  });

  it('gives cross positions the account ratio: cross maintenance over cross wallet plus cross PnL', () => {
    const positions = [
      pos({ symbol: 'BTC/USDT:USDT', marginMode: 'cross', liquidationPrice: null }),
      pos({ symbol: 'ETH/USDT:USDT', marginMode: 'isolated', contracts: 10, entryPrice: 2_000, markPrice: 2_000, leverage: 5 }),
    ];
    const marks = new Map([
      ['BTC/USDT:USDT', 49_000],
      ['ETH/USDT:USDT', 2_100],
    ]);
    const measured = measureExposure({ positions, account: account(10_000), marks, tiers: () => flatTier });
    expect(measured.equity).toBe(10_000 - 1_000 + 1_000);
    // cross wallet = 10,000 − 4,000 isolated; cross PnL −1,000; maintenance 49,000 × 0.4%
    expect(measured.accountMarginRatioPct).toBeCloseTo((196 / 5_000) * 100, 10);
    expect(measured.positions[0]).toMatchObject({ marginRatioPct: null, distanceToLiquidationPct: null });
  });

  it('knows no equity before the account is known, and skips empty positions', () => {
    const measured = measureExposure({ positions: [pos({ contracts: 0 })], account: null, marks: new Map(), tiers: () => null });
    expect(measured).toEqual({ equity: null, accountMarginRatioPct: null, positions: [] });
  });

  it('counts margin added by hand: the isolated wallet the exchange reports, not the margin at entry', () => {
    const topped = measureExposure({ positions: [pos({ isolatedWallet: 8_000 })], account: account(20_000), marks: new Map([['BTC/USDT:USDT', 47_000]]), tiers: () => flatTier });
    // maintenance 188 over 8,000 − 3,000 loss
    expect(topped.positions[0]!.marginRatioPct).toBeCloseTo((188 / 5_000) * 100, 10);
  });

  it('falls back to the margin at entry when the exchange reports no isolated wallet', () => {
    const unknown = measureExposure({ positions: [pos({ isolatedWallet: 0 })], account: account(20_000), marks: new Map([['BTC/USDT:USDT', 47_000]]), tiers: () => flatTier });
    expect(unknown.positions[0]!.marginRatioPct).toBeCloseTo((188 / 2_000) * 100, 10);
  });

  it('keeps the reported maintenance margin when there are no tiers and no mark to scale it by, and uses the entry as the mark', () => {
    const measured = measureExposure({ positions: [pos({ markPrice: 0 })], account: account(20_000), marks: new Map(), tiers: () => null });
    expect(measured.positions[0]).toMatchObject({ markPrice: 50_000, marginRatioPct: (200 / 5_000) * 100 });
  });

  it('still measures each position before the account is known, without equity or an account ratio', () => {
    const measured = measureExposure({ positions: [pos()], account: null, marks: new Map([['BTC/USDT:USDT', 47_000]]), tiers: () => flatTier });
    expect(measured.equity).toBeNull();
    expect(measured.accountMarginRatioPct).toBeNull();
    expect(measured.positions[0]).toMatchObject({ margin: 4_700, marginRatioPct: (188 / 2_000) * 100 });
  });
});
