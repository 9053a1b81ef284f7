import { describe, expect, it } from 'vitest';
import { describeRiskFigure, riskPerTradeFor } from './risk-per-trade';

describe('the risk per trade that sizes a proposal', () => {
  it('is the global setting when the strategy declares none', () => {
    expect(riskPerTradeFor(undefined, 0.01)).toEqual({ fraction: 0.01, source: 'global', declared: null });
    expect(riskPerTradeFor(null, 0.02)).toEqual({ fraction: 0.02, source: 'global', declared: null });
  });

  it('is the strategy’s own figure at or below the global setting', () => {
    expect(riskPerTradeFor(0.015, 0.02)).toEqual({ fraction: 0.015, source: 'strategy', declared: 0.015 });
    expect(riskPerTradeFor(0.02, 0.02)).toEqual({ fraction: 0.02, source: 'strategy', declared: 0.02 });
  });

  it('is cut to the global setting, which stays the ceiling', () => {
    expect(riskPerTradeFor(0.015, 0.01)).toEqual({ fraction: 0.01, source: 'capped', declared: 0.015 });
  });

  it('refuses a declared figure that is not a fraction of equity', () => {
    for (const bad of [0, -0.01, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => riskPerTradeFor(bad, 0.01)).toThrow(/fraction of equity above 0 and at most 1, got/);
    }
  });

  it('says where the figure came from', () => {
    expect(describeRiskFigure(riskPerTradeFor(undefined, 0.01), 'manual')).toBe('1% (your risk setting)');
    expect(describeRiskFigure(riskPerTradeFor(0.015, 0.02), 'adaptive-leverage')).toBe("1.5% (adaptive-leverage's own)");
    expect(describeRiskFigure(riskPerTradeFor(0.015, 0.01), 'adaptive-leverage')).toBe('1% (your risk setting; adaptive-leverage asks 1.5%)');
  });
});
