import { describe, expect, it } from 'vitest';
import { leverage, price, quantity, usd } from '../money';
import { distanceToLiquidationPct, effectiveLeverage, initialMargin, marginRatio, notional, rewardRisk, riskAmount, unrealizedPnl } from './measures';

describe('notional and margin', () => {
  it('notional is quantity × price', () => {
    expect(notional(quantity(0.5), price(60_000))).toBe(30_000);
  });

  it('margin is notional / leverage, nothing else', () => {
    expect(initialMargin(usd(30_000), leverage(10))).toBe(3_000);
    expect(initialMargin(usd(30_000), leverage(1))).toBe(30_000);
  });

  it('rejects leverage below 1 or not finite', () => {
    expect(() => initialMargin(usd(1), leverage(0.5))).toThrow(/leverage/);
    expect(() => initialMargin(usd(1), leverage(Number.NaN))).toThrow(/leverage/);
    expect(() => initialMargin(usd(-1), leverage(2))).toThrow(/notional/);
    expect(() => notional(quantity(1), price(0))).toThrow(/price/);
  });
});

describe('effective leverage', () => {
  it('is total notional / equity', () => {
    expect(effectiveLeverage(usd(25_000), usd(10_000))).toBe(2.5);
  });

  it('is 0 with no positions and Infinity once equity is gone', () => {
    expect(effectiveLeverage(usd(0), usd(-5))).toBe(0);
    expect(effectiveLeverage(usd(1_000), usd(0))).toBe(Infinity);
  });

  it('rejects NaN', () => {
    expect(() => effectiveLeverage(usd(1), usd(Number.NaN))).toThrow(/equity/);
  });
});

describe('margin ratio', () => {
  it('is maintenance margin / margin balance', () => {
    expect(marginRatio(usd(50), usd(200))).toBe(0.25);
  });

  it('is 0 without maintenance margin and Infinity once the balance is gone', () => {
    expect(marginRatio(usd(0), usd(-1))).toBe(0);
    expect(marginRatio(usd(10), usd(0))).toBe(Infinity);
  });

  it('rejects negative maintenance margin', () => {
    expect(() => marginRatio(usd(-1), usd(1))).toThrow(/maintenance/);
  });
});

describe('distance to liquidation', () => {
  it('is the percent of mark the price may move against the position', () => {
    expect(distanceToLiquidationPct('long', price(100), price(90))).toBeCloseTo(10, 12);
    expect(distanceToLiquidationPct('short', price(100), price(105))).toBeCloseTo(5, 12);
  });

  it('is negative once the mark is past liquidation, null without a liquidation price', () => {
    expect(distanceToLiquidationPct('long', price(100), price(101))).toBeCloseTo(-1, 12);
    expect(distanceToLiquidationPct('long', price(100), null)).toBeNull();
  });

  it('rejects a zero liquidation price', () => {
    expect(() => distanceToLiquidationPct('long', price(100), price(0))).toThrow(/liquidation/);
  });
});

describe('PnL, risk and reward', () => {
  it('unrealised PnL is + for a long that rose and for a short that fell', () => {
    expect(unrealizedPnl('long', quantity(2), price(100), price(110))).toBe(20);
    expect(unrealizedPnl('short', quantity(2), price(100), price(110))).toBe(-20);
  });

  it('risk is quantity × |entry − stop| for either side', () => {
    expect(riskAmount(quantity(2), price(100), price(95))).toBe(10);
    expect(riskAmount(quantity(2), price(100), price(105))).toBe(10);
  });

  it('reward:risk is the ratio of the distances', () => {
    expect(rewardRisk(price(100), price(95), price(110))).toBe(2);
    expect(rewardRisk(price(100), price(104), price(94))).toBe(1.5);
  });

  it('refuses a stop equal to entry', () => {
    expect(() => rewardRisk(price(100), price(100), price(110))).toThrow(/stop must differ/);
  });
});
