import { describe, expect, it } from 'vitest';
import type { FundingPayment } from '../domain';
import { FUNDING_INTERVAL_MS, fundingCost, netFunding, utcDayStart } from './funding';

const DAY = Date.UTC(2025, 2, 12);
const payments: FundingPayment[] = [
  { symbol: 'BTC/USDT:USDT', amount: -1.5, time: DAY - FUNDING_INTERVAL_MS },
  { symbol: 'BTC/USDT:USDT', amount: -1.2, time: DAY },
  { symbol: 'ETH/USDT:USDT', amount: 0.4, time: DAY },
  { symbol: 'BTC/USDT:USDT', amount: -0.8, time: DAY + FUNDING_INTERVAL_MS },
];

describe('funding', () => {
  it('a positive rate makes a long pay and a short receive notional × rate per settlement', () => {
    expect(fundingCost('long', 10_000, 0.0001)).toBeCloseTo(1, 12);
    expect(fundingCost('short', 10_000, 0.0001)).toBeCloseTo(-1, 12);
    expect(fundingCost('long', 10_000, -0.0002)).toBeCloseTo(-2, 12);
  });

  it('counts a position’s funding from when it opened, on its symbol only', () => {
    expect(netFunding(payments, 'BTC/USDT:USDT', DAY)).toBeCloseTo(-2, 12);
    expect(netFunding(payments, 'BTC/USDT:USDT', DAY + 1)).toBeCloseTo(-0.8, 12);
    expect(netFunding(payments, 'SOL/USDT:USDT', 0)).toBe(0);
  });

  it('counts the day’s funding over every symbol from 00:00 UTC', () => {
    expect(utcDayStart(DAY + 5 * 3_600_000)).toBe(DAY);
    expect(netFunding(payments, null, utcDayStart(DAY + 9 * 3_600_000))).toBeCloseTo(-1.6, 12);
  });
});
