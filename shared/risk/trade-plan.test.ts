import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../settings';
import { liquidationPrice } from './liquidation';
import { BTC_MARKET } from './market.fixture';
import { isOnStep } from './precision';
import { toMarginTiers } from './tiers';
import { type TradePlanInput, planTrade } from './trade-plan';

const base: TradePlanInput = {
  side: 'long',
  entry: 60_000,
  stop: 58_800,
  takeProfit: 62_400,
  leverage: 5,
  market: BTC_MARKET,
  account: { equity: 10_000, walletBalance: 10_000, freeMargin: 10_000, totalNotional: 0 },
  marginMode: 'isolated',
  risk: DEFAULT_SETTINGS.risk,
  exchange: 'binanceusdm',
};
const plan = (over: Partial<TradePlanInput>) => planTrade({ ...base, ...over });

describe('a sound long on Binance, isolated', () => {
  const p = planTrade(base);

  it('is sized from risk: 10,000 × 1% / 1,200, rounded down to 0.083 BTC', () => {
    expect(p.quantity).toBe(0.083);
    expect(p.notional).toBeCloseTo(4_980, 9);
    expect(p.riskAmount).toBeCloseTo(99.6, 9);
    expect(p.rewardRisk).toBe(2);
  });

  it('ties up notional / leverage as margin, and that margin is the isolated wallet', () => {
    expect(p.margin).toBeCloseTo(996, 9);
    expect(p.liquidationPrice).toBeCloseTo((996 - 0.083 * 60_000) / (0.083 * 0.004 - 0.083), 6);
    expect(p.distanceToLiquidationPct).toBeCloseTo(((60_000 - p.liquidationPrice!) / 60_000) * 100, 9);
  });

  it('estimates the entry and stop-out taker fees', () => {
    expect(p.estimatedFees).toBeCloseTo(4_980 * 0.0005 + 0.083 * 58_800 * 0.0005, 9);
  });

  it('passes the pre-trade check', () => {
    expect(p.verdict).toEqual({ ok: true, violations: [] });
  });
});

describe('leverage', () => {
  it('never changes the quantity, only the margin', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 20, noNaN: true }), (leverage) => {
        const p = plan({ leverage });
        expect(p.quantity).toBe(0.083);
        expect(p.margin).toBeCloseTo(p.notional / leverage, 9);
      }),
    );
  });

  it('too high brings the liquidation price inside the buffer, and the plan says so', () => {
    const risk = { ...DEFAULT_SETTINGS.risk, maxLeverage: 20 };
    const p = plan({ leverage: 20, stop: 58_200, takeProfit: 63_600, risk });
    expect(p.verdict.violations.map((v) => v.rule)).toEqual(['liquidation-buffer']);
  });
});

describe('prices', () => {
  it('are rounded to the tick before anything is computed', () => {
    const p = plan({ entry: 60_000.04, stop: 58_799.96, takeProfit: 62_400.01 });
    expect([p.entry, p.stop, p.takeProfit]).toEqual([60_000, 58_800, 62_400]);
    expect(p.quantity).toBe(0.083);
    expect(p.verdict.ok).toBe(true);
  });

  it('a stop that rounds onto the entry cannot be sized', () => {
    const p = plan({ stop: 59_999.96 });
    expect(p.quantity).toBe(0);
    expect(p.verdict.violations.map((v) => v.rule)).toEqual(['invalid-input']);
  });
});

describe('a size the market refuses', () => {
  it('comes back unsendable with the market-limits rule and every other broken rule', () => {
    const p = plan({ account: { ...base.account, equity: 50 }, takeProfit: 59_000 });
    expect(p.quantity).toBe(0);
    expect(p.liquidationPrice).toBeNull();
    expect(p.distanceToLiquidationPct).toBeNull();
    expect(p.verdict.ok).toBe(false);
    expect(p.verdict.violations.map((v) => v.rule).sort()).toEqual(['market-limits', 'market-limits', 'take-profit-side']);
  });
});

describe('cross margin', () => {
  const others = [{ side: 'short' as const, contracts: 10, entryPrice: 3_000, markPrice: 3_100, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }];

  it('uses the cross wallet less the entry fee, and the other positions', () => {
    const p = plan({ marginMode: 'cross', account: { ...base.account, walletBalance: 3_000, openPositions: others } });
    const expected = liquidationPrice({
      exchange: 'binanceusdm',
      side: 'long',
      contracts: 0.083,
      entryPrice: 60_000,
      marginMode: 'cross',
      walletBalance: 3_000 - 4_980 * 0.0005,
      tiers: toMarginTiers(BTC_MARKET.tiers),
      others,
    });
    expect(expected).not.toBeNull();
    expect(p.liquidationPrice).toBe(expected);
    expect(p.liquidationPrice).toBeCloseTo((3_000 - 2.49 - 155 - 1_000 - 0.083 * 60_000) / (0.083 * 0.004 - 0.083), 6);
  });

  it('brings liquidation close when the account is thin', () => {
    const p = plan({ marginMode: 'cross', account: { ...base.account, walletBalance: 1_200, openPositions: others } });
    expect(p.liquidationPrice).toBeGreaterThan(58_800);
    expect(p.verdict.violations.map((v) => v.rule)).toContain('liquidation-buffer');
  });

  it('refuses a cross short the account could not carry at all: no liquidation price, because it would be liquidated at once', () => {
    const deepLoss = [{ side: 'long' as const, contracts: 10, entryPrice: 3_000, markPrice: 2_400, maintenanceMarginRate: 0.005, maintenanceAmount: 0 }];
    const p = plan({ side: 'short', stop: 61_200, takeProfit: 57_600, marginMode: 'cross', account: { ...base.account, walletBalance: 100, openPositions: deepLoss } });
    expect(p.liquidationPrice).toBeNull();
    expect(p.verdict.violations).toContainEqual({ rule: 'liquidation-buffer', message: expect.stringMatching(/liquidate it at once/) });
  });

  it('lets an over-collateralised cross long through: no liquidation price, and margin to spare', () => {
    const p = plan({ marginMode: 'cross', account: { ...base.account, walletBalance: 1_000_000, equity: 1_000_000, freeMargin: 1_000_000 } });
    expect(p.liquidationPrice).toBeNull();
    expect(p.verdict.violations.map((v) => v.rule)).not.toContain('liquidation-buffer');
  });

  it('never lets the fee push the wallet below zero', () => {
    const p = plan({ marginMode: 'cross', account: { ...base.account, walletBalance: 0 } });
    expect(p.liquidationPrice).toBeGreaterThan(60_000 * 0.99);
    expect(p.verdict.violations.map((v) => v.rule)).toContain('liquidation-buffer');
  });
});

describe('Bybit', () => {
  it('isolated: uses Bybit\'s formula with the initial margin as the wallet', () => {
    const p = plan({ exchange: 'bybit' });
    expect(p.liquidationPrice).toBeCloseTo(60_000 - (996 - 4_980 * 0.004) / 0.083, 6);
    expect(p.verdict.ok).toBe(true);
  });

  it('cross: refuses, since its liquidation price is not modelled', () => {
    const p = plan({ exchange: 'bybit', marginMode: 'cross' });
    expect(p.quantity).toBe(0.083);
    expect(p.liquidationPrice).toBeNull();
    expect(p.verdict.ok).toBe(false);
    expect(p.verdict.violations[0]).toEqual({ rule: 'invalid-input', message: expect.stringMatching(/Bybit cross-margin liquidation is not modelled/) });
  });
});

describe('bad numbers', () => {
  it.each<[string, Partial<TradePlanInput>]>([
    ['NaN entry', { entry: Number.NaN }],
    ['infinite leverage', { leverage: Infinity }],
    ['negative stop', { stop: -5 }],
    ['zero take-profit', { takeProfit: 0 }],
    ['zero equity', { account: { ...base.account, equity: 0 } }],
    ['negative wallet balance', { account: { ...base.account, walletBalance: -1 } }],
    ['an unknown margin mode', { marginMode: 'portfolio' as 'cross' }],
    ['a bad other position', { marginMode: 'cross', account: { ...base.account, openPositions: [{ side: 'long', contracts: Number.NaN, entryPrice: 1, markPrice: 1, maintenanceMarginRate: 0.01, maintenanceAmount: 0 }] } }],
  ])('turn %s into invalid-input violations, never a throw', (_, over) => {
    const p = plan(over);
    expect(p.verdict.ok).toBe(false);
    expect(p.verdict.violations.map((v) => v.rule)).toContain('invalid-input');
  });

  it('never throw, whatever the numbers', () => {
    const anyNumber = fc.oneof(fc.double(), fc.constantFrom(0, -1, Number.NaN, Infinity, -Infinity));
    fc.assert(
      fc.property(anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, anyNumber, (entry, stop, takeProfit, leverage, equity, walletBalance) => {
        expect(() => plan({ entry, stop, takeProfit, leverage, account: { ...base.account, equity, walletBalance } })).not.toThrow();
      }),
    );
  });
});

describe('an ok plan', () => {
  it('obeys every money rule', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'long' | 'short'>('long', 'short'),
        fc.double({ min: 1_000, max: 100_000, noNaN: true }),
        fc.double({ min: 0.002, max: 0.1, noNaN: true }),
        fc.double({ min: 1, max: 5, noNaN: true }),
        fc.double({ min: 1, max: 20, noNaN: true }),
        fc.double({ min: 1_000, max: 1e6, noNaN: true }),
        fc.constantFrom<'binanceusdm' | 'bybit'>('binanceusdm', 'bybit'),
        (side, entry, stopPct, rr, leverage, equity, exchange) => {
          const s = side === 'long' ? 1 : -1;
          const risk = { ...DEFAULT_SETTINGS.risk, maxLeverage: 20 };
          const p = plan({
            side,
            entry,
            stop: entry * (1 - s * stopPct),
            takeProfit: entry * (1 + s * stopPct * rr),
            leverage,
            exchange,
            risk,
            account: { equity, walletBalance: equity, freeMargin: equity, totalNotional: 0 },
          });
          if (!p.verdict.ok) return;
          expect(p.riskAmount).toBeLessThanOrEqual(equity * risk.riskPerTrade * (1 + 1e-9));
          expect(isOnStep(p.quantity, BTC_MARKET.amountStep)).toBe(true);
          expect(p.quantity).toBeGreaterThanOrEqual(BTC_MARKET.minAmount);
          expect(p.notional).toBeGreaterThanOrEqual(BTC_MARKET.minNotional);
          expect(p.margin).toBeLessThanOrEqual(equity);
          if (p.liquidationPrice !== null) {
            expect(s * (p.entry - p.stop)).toBeLessThanOrEqual(risk.liquidationBuffer * s * (p.entry - p.liquidationPrice) * (1 + 1e-9));
          }
        },
      ),
    );
  });
});
