import { describe, expect, it } from 'vitest';
import { BTC_MARKET } from './market.fixture';
import { asOtherPosition, openExposure, type HeldPosition } from './open-positions';

const btcLong: HeldPosition = { symbol: 'BTC/USDT:USDT', side: 'long', contracts: 0.5, entryPrice: 60_000, markPrice: 62_000 };
const ethShort: HeldPosition = { symbol: 'ETH/USDT:USDT', side: 'short', contracts: 2, entryPrice: 3_000, markPrice: 2_900 };

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
});
