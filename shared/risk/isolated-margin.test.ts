import { describe, expect, it } from 'vitest';
import { isolatedMarginPreview, removableIsolatedMargin } from './isolated-margin';
import { liquidationPrice } from './liquidation';
import { BTC_MARKET } from './market.fixture';
import { toMarginTiers } from './tiers';

/** 0.1 BTC long at 60,000, 10x isolated: 600 USDT of margin, mark 59,000 (a 100 USDT loss). */
const position = {
  side: 'long' as const,
  contracts: 0.1,
  entryPrice: 60_000,
  markPrice: 59_000,
  marginMode: 'isolated' as const,
  isolatedWallet: 700,
  unrealizedPnl: -100,
  initialMargin: 590,
};

describe('removableIsolatedMargin', () => {
  it('is the wallet less the loss above the initial margin, and a profit does not count', () => {
    expect(removableIsolatedMargin(position)).toBeCloseTo(10, 9);
    expect(removableIsolatedMargin({ ...position, unrealizedPnl: 500 })).toBeCloseTo(110, 9);
  });

  it('is never below zero', () => {
    expect(removableIsolatedMargin({ ...position, isolatedWallet: 600 })).toBe(0);
  });
});

describe('isolatedMarginPreview', () => {
  const tiers = BTC_MARKET.tiers;
  const liquidationWith = (wallet: number) =>
    liquidationPrice({ exchange: 'binanceusdm', side: 'long', contracts: 0.1, entryPrice: 60_000, marginMode: 'isolated', walletBalance: wallet, tiers: toMarginTiers(tiers) })!;

  it('adding margin moves the liquidation price away, by the published formula', () => {
    const preview = isolatedMarginPreview({ formula: 'binanceusdm', position, tiers, change: 200 });
    expect(preview).toEqual({ ok: true, walletBalance: 900, liquidationPrice: liquidationWith(900), distanceToLiquidationPct: ((59_000 - liquidationWith(900)) * 100) / 59_000 });
    expect(liquidationWith(900)).toBeLessThan(liquidationWith(700));
  });

  it('a wallet beyond the notional leaves a long no liquidation price, and so no distance', () => {
    expect(isolatedMarginPreview({ formula: 'binanceusdm', position, tiers, change: 10_000 })).toEqual({ ok: true, walletBalance: 10_700, liquidationPrice: null, distanceToLiquidationPct: null });
  });

  it('removing margin brings it closer, up to what the position can spare', () => {
    const preview = isolatedMarginPreview({ formula: 'binanceusdm', position, tiers, change: -10 });
    expect(preview).toMatchObject({ ok: true, walletBalance: 690, liquidationPrice: liquidationWith(690) });
    expect(isolatedMarginPreview({ formula: 'binanceusdm', position, tiers, change: -10.01 })).toEqual({ ok: false, reason: expect.stringContaining('At most 10.00 USDT can be removed') });
  });

  it('refuses a cross position and a change of zero or not a number', () => {
    expect(isolatedMarginPreview({ formula: 'binanceusdm', position: { ...position, marginMode: 'cross' }, tiers, change: 50 })).toEqual({ ok: false, reason: expect.stringContaining('cross position') });
    for (const change of [0, Number.NaN]) expect(isolatedMarginPreview({ formula: 'bybit', position, tiers, change })).toEqual({ ok: false, reason: expect.stringContaining('other than zero') });
  });
});
