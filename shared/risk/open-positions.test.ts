import { describe, expect, it } from 'vitest';
import { BTC_MARKET } from './market.fixture';
import { asOtherPosition, crossAccount, isolatedWalletOf, openExposure, type HeldPosition } from './open-positions';

const btcLong: HeldPosition = { symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.5, entryPrice: 60_000, markPrice: 62_000, marginMode: 'cross', isolatedWallet: 0, leverage: 5 };
const ethShort: HeldPosition = { symbol: 'ETH/USDT:USDT', side: 'short', contracts: 2, entryPrice: 3_000, markPrice: 2_900, marginMode: 'cross', isolatedWallet: 0, leverage: 5 };
const isolatedEth: HeldPosition = { ...ethShort, marginMode: 'isolated', isolatedWallet: 1_500 };

describe('open positions', () => {
  it('values exposure at the mark, long or short, leaving out the symbol being planned', () => {
    expect(openExposure([btcLong, ethShort])).toBe(31_000 + 5_800);
    expect(openExposure([btcLong, ethShort], 'BTC/USDT:USDT')).toBe(5_800);
    expect(openExposure([])).toBe(0);
  });

  it('gives a held position the maintenance tier of its notional at the mark', () => {
    expect(asOtherPosition(btcLong, BTC_MARKET.tiers)).toEqual({
      side: 'long',
      contracts: 0.5,
      entryPrice: 60_000,
      markPrice: 62_000,
      maintenanceMarginRate: 0.004,
      maintenanceAmount: 0,
    });
    const large = asOtherPosition({ ...btcLong, contracts: 5 }, BTC_MARKET.tiers);
    expect(large).toMatchObject({ maintenanceMarginRate: 0.01, maintenanceAmount: 1_300 });
  });

  it('refuses to guess a maintenance rate when the market has no tiers', () => {
    expect(() => asOtherPosition(btcLong, [])).toThrow(/no maintenance-margin tiers for BTC\/USDT:USDT/);
  });

  it('refuses a nonsensical position', () => {
    expect(() => asOtherPosition({ ...btcLong, contracts: Number.NaN }, BTC_MARKET.tiers)).toThrow(RangeError);
    expect(() => asOtherPosition({ ...btcLong, markPrice: -1 }, BTC_MARKET.tiers)).toThrow(RangeError);
  });

  it('takes an isolated wallet as reported, as the margin at entry when not reported, and none for a cross position', () => {
    expect(isolatedWalletOf(isolatedEth)).toBe(1_500);
    expect(isolatedWalletOf({ ...isolatedEth, isolatedWallet: 0 })).toBe((2 * 3_000) / 5);
    expect(isolatedWalletOf({ ...isolatedEth, isolatedWallet: 0, leverage: 0 })).toBe(2 * 3_000);
    expect(isolatedWalletOf(ethShort)).toBe(0);
  });

  it('gives the cross formula the wallet less every isolated wallet, and only the cross positions', () => {
    const tiersOf = () => BTC_MARKET.tiers;
    const account = crossAccount(10_000, [btcLong, isolatedEth], tiersOf);
    expect(account.walletBalance).toBe(8_500);
    expect(account.openPositions).toEqual([asOtherPosition(btcLong, BTC_MARKET.tiers)]);
    expect(crossAccount(1_000, [isolatedEth, { ...isolatedEth, symbol: 'SOL/USDT:USDT' }], tiersOf)).toEqual({ walletBalance: 0, openPositions: [] });
  });
});
