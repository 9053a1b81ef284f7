import { describe, expect, it } from 'vitest';
import type { PreTradeRule } from '../domain';
import { DEFAULT_SETTINGS } from '../settings';
import { BTC_MARKET } from './market.fixture';
import { type PreTradeInput, preTradeCheck } from './pre-trade-check';

/** A sound long: 1% risk (99.60 USDT), reward:risk 2, 5x, liquidation far beyond the stop. */
const valid: PreTradeInput = {
  side: 'long',
  entry: 60_000,
  stop: 58_800,
  takeProfit: 62_400,
  quantity: 0.083,
  leverage: 5,
  liquidationPrice: 48_193.7,
  market: BTC_MARKET,
  account: { equity: 10_000, freeMargin: 10_000, totalNotional: 0 },
  risk: DEFAULT_SETTINGS.risk,
};

const validShort: PreTradeInput = { ...valid, side: 'short', stop: 61_200, takeProfit: 57_600, liquidationPrice: 71_700 };

const check = (over: Partial<PreTradeInput>) => preTradeCheck({ ...valid, ...over });
const rules = (over: Partial<PreTradeInput>): PreTradeRule[] => check(over).violations.map((v) => v.rule);
const only = (over: Partial<PreTradeInput>, rule: PreTradeRule) => {
  const verdict = check(over);
  expect(verdict.ok).toBe(false);
  expect(verdict.violations.map((v) => v.rule)).toEqual([rule]);
  return verdict.violations[0]!.message;
};

describe('a valid trade', () => {
  it('passes, long and short', () => {
    expect(preTradeCheck(valid)).toEqual({ ok: true, violations: [] });
    expect(preTradeCheck(validShort)).toEqual({ ok: true, violations: [] });
  });

  it('passes with no liquidation price at all', () => {
    expect(check({ liquidationPrice: null, leverage: 1 }).ok).toBe(true);
  });
});

describe('each rule rejects, naming itself in words a trader understands', () => {
  it('risk per trade above the cap', () => {
    expect(only({ quantity: 0.1 }, 'risk-per-trade')).toBe('This trade risks 120.00 USDT (1.2% of equity), above your cap of 1% (100.00 USDT).');
  });

  it("leverage above the user's cap", () => {
    expect(only({ leverage: 10 }, 'leverage-user-cap')).toBe('Leverage 10x is above your cap of 5x.');
  });

  it("leverage above the exchange's maximum for the notional tier", () => {
    const market = { ...BTC_MARKET, tiers: BTC_MARKET.tiers.map((t) => ({ ...t, maxLeverage: 4 })) };
    expect(only({ market }, 'leverage-tier-max')).toBe('For a position of 4980.00 USDT, BTC/USDT:USDT allows at most 4x; 5x was asked.');
  });

  it("leverage above the market's overall maximum", () => {
    expect(only({ market: { ...BTC_MARKET, maxLeverage: 3 } }, 'leverage-tier-max')).toMatch(/allows at most 3x/);
  });

  it('the tier max follows the notional: 20x is fine at 5,000 USDT and too much at 11M USDT', () => {
    const risk = { ...DEFAULT_SETTINGS.risk, maxLeverage: 20, maxPositionNotional: 10_000, maxTotalExposure: 10_000, riskPerTrade: 0.05 };
    expect(rules({ leverage: 20, risk, liquidationPrice: null })).toEqual([]);
    const big = { quantity: 183.334, leverage: 20, risk, liquidationPrice: null, account: { equity: 1e6, freeMargin: 1e7, totalNotional: 0 } };
    expect(rules({ ...big, stop: 59_900, takeProfit: 60_200, market: { ...BTC_MARKET, maxMarketAmount: 1_000 } })).toEqual(['leverage-tier-max']);
  });

  it('reward:risk below the minimum', () => {
    expect(only({ takeProfit: 61_500 }, 'reward-risk')).toBe('Reward:risk is 1.25, below your minimum of 1.5.');
  });

  it('a stop on the wrong side of entry, long and short', () => {
    expect(rules({ stop: 61_000, liquidationPrice: null })).toEqual(['stop-side']);
    expect(check({ stop: 61_000, liquidationPrice: null }).violations[0]!.message).toBe('For a long, the stop-loss (61000) must sit below the entry (60000).');
    expect(preTradeCheck({ ...validShort, stop: 59_000 }).violations.map((v) => v.message)).toEqual(['For a short, the stop-loss (59000) must sit above the entry (60000).']);
  });

  it('a take-profit on the wrong side of entry, long and short', () => {
    expect(only({ takeProfit: 59_000 }, 'take-profit-side')).toBe('For a long, the take-profit (59000) must sit above the entry (60000).');
    expect(preTradeCheck({ ...validShort, takeProfit: 61_000 }).violations.map((v) => v.message)).toEqual(['For a short, the take-profit (61000) must sit below the entry (60000).']);
  });

  it('a liquidation price not safely beyond the stop (default: stop at most halfway to liquidation)', () => {
    expect(only({ liquidationPrice: 58_000 }, 'liquidation-buffer')).toMatch(/sits 60% of the way from entry to the liquidation price \(58000\); it must sit at most 50% of the way/);
    expect(rules({ liquidationPrice: 57_600 })).toEqual([]);
  });

  it('a configurable liquidation buffer', () => {
    const risk = { ...DEFAULT_SETTINGS.risk, liquidationBuffer: 0.25 };
    expect(rules({ liquidationPrice: 55_000, risk })).toEqual([]);
    expect(rules({ liquidationPrice: 56_000, risk })).toEqual(['liquidation-buffer']);
  });

  it('a liquidation price at or past the entry', () => {
    expect(only({ liquidationPrice: 60_000 }, 'liquidation-buffer')).toMatch(/liquidated at once/);
    expect(preTradeCheck({ ...validShort, liquidationPrice: 59_000 }).violations.map((v) => v.rule)).toEqual(['liquidation-buffer']);
  });

  it('position notional above its cap', () => {
    expect(rules({ quantity: 0.6, stop: 59_900, takeProfit: 60_200 })).toEqual(['position-notional']);
    expect(check({ quantity: 0.6, stop: 59_900, takeProfit: 60_200 }).violations[0]!.message).toBe(
      'This position is worth 36000.00 USDT, above your cap of 3× equity (30000.00 USDT).',
    );
  });

  it('total exposure above its cap', () => {
    expect(only({ account: { equity: 10_000, freeMargin: 10_000, totalNotional: 47_000 } }, 'total-exposure')).toBe(
      'Open positions would total 51980.00 USDT, above your cap of 5× equity (50000.00 USDT).',
    );
  });

  it('not enough free margin for margin and entry fee', () => {
    expect(only({ account: { equity: 10_000, freeMargin: 998, totalNotional: 0 } }, 'free-margin')).toBe('This trade needs 998.49 USDT of margin and fees, but only 998.00 USDT is free.');
    expect(rules({ account: { equity: 10_000, freeMargin: 998.49, totalNotional: 0 } })).toEqual([]);
    expect(rules({ account: { equity: 10_000, freeMargin: -50, totalNotional: 0 } })).toEqual(['free-margin']);
  });

  it("a quantity the market would reject", () => {
    expect(rules({ quantity: 0.0005, liquidationPrice: null })).toEqual(['market-limits', 'market-limits']);
    expect(only({ quantity: 0.0825 }, 'market-limits')).toBe('The size 0.0825 BTC is not a whole number of 0.001 BTC steps.');
    const huge = { quantity: 130, leverage: 1, liquidationPrice: null, account: { equity: 1e9, freeMargin: 1e10, totalNotional: 0 } };
    expect(only({ ...huge, stop: 59_999.9, takeProfit: 60_000.2 }, 'market-limits')).toBe('The size is 130 BTC, above the largest order of 120 BTC.');
    expect(only({ quantity: 0.001, stop: 1, takeProfit: 150_000, liquidationPrice: null }, 'market-limits')).toBe("This order is worth 60.00 USDT, below the market's minimum order value of 100.00 USDT.");
  });

  it('prices off the tick', () => {
    expect(only({ stop: 58_800.05 }, 'market-limits')).toBe("The stop-loss price 58800.05 is not on BTC/USDT:USDT's 0.1 tick.");
  });
});

describe('every violated rule at once', () => {
  it('lists them all, not just the first', () => {
    const verdict = check({ stop: 61_000, takeProfit: 59_000, leverage: 10, quantity: 0.6, liquidationPrice: 60_500, account: { equity: 10_000, freeMargin: 100, totalNotional: 40_000 } });
    expect(verdict.violations.map((v) => v.rule).sort()).toEqual(
      ['free-margin', 'leverage-user-cap', 'liquidation-buffer', 'position-notional', 'risk-per-trade', 'stop-side', 'take-profit-side', 'total-exposure'].sort(),
    );
  });
});

describe('invalid input', () => {
  const invalid = (over: Partial<PreTradeInput>) => {
    const verdict = check(over);
    expect(verdict.ok).toBe(false);
    expect(verdict.violations.length).toBeGreaterThan(0);
    expect(verdict.violations.every((v) => v.rule === 'invalid-input')).toBe(true);
    return verdict.violations.map((v) => v.message).join(' ');
  };

  it.each<[string, Partial<PreTradeInput>, RegExp]>([
    ['NaN entry', { entry: Number.NaN }, /entry price must be a number above zero \(got NaN\)/],
    ['infinite stop', { stop: Infinity }, /stop-loss price must be a number above zero \(got Infinity\)/],
    ['negative take-profit', { takeProfit: -1 }, /take-profit price must be a number above zero/],
    ['zero take-profit', { takeProfit: 0 }, /take-profit price/],
    ['zero leverage', { leverage: 0 }, /leverage must be a number of at least 1/],
    ['negative quantity', { quantity: -0.1 }, /quantity must be a number of zero or more/],
    ['NaN quantity', { quantity: Number.NaN }, /quantity/],
    ['zero equity', { account: { equity: 0, freeMargin: 1, totalNotional: 0 } }, /Equity must be a number above zero/],
    ['NaN free margin', { account: { equity: 1, freeMargin: Number.NaN, totalNotional: 0 } }, /Free margin must be a finite number/],
    ['negative open notional', { account: { equity: 1, freeMargin: 1, totalNotional: -1 } }, /Open notional must be a number of zero or more/],
    ['zero liquidation price', { liquidationPrice: 0 }, /liquidation price must be a number above zero or absent/],
    ['NaN liquidation price', { liquidationPrice: Number.NaN }, /liquidation price/],
    ['an unknown side', { side: 'up' as 'long' }, /side must be long or short \(got up\)/],
    ['a stop equal to entry', { stop: 60_000 }, /stop-loss must differ from the entry/],
    ['a zero tick size', { market: { ...BTC_MARKET, tickSize: 0 } }, /tick size must be a number above zero/],
    ['a NaN amount step', { market: { ...BTC_MARKET, amountStep: Number.NaN } }, /amount step/],
    ['a negative minimum amount', { market: { ...BTC_MARKET, minAmount: -1 } }, /minimum amount/],
    ['a zero maximum amount', { market: { ...BTC_MARKET, maxAmount: 0 } }, /maximum amount/],
    ['a NaN maximum market amount', { market: { ...BTC_MARKET, maxMarketAmount: Number.NaN } }, /maximum market-order amount/],
    ['a negative minimum notional', { market: { ...BTC_MARKET, minNotional: -1 } }, /minimum notional/],
    ['a negative taker fee', { market: { ...BTC_MARKET, takerFee: -0.001 } }, /taker fee/],
    ['a market max leverage below 1', { market: { ...BTC_MARKET, maxLeverage: 0.5 } }, /maximum leverage must be a number of at least 1/],
    ['a tier max leverage of NaN', { market: { ...BTC_MARKET, tiers: [{ ...BTC_MARKET.tiers[0]!, maxLeverage: Number.NaN, maxNotional: 1e12 }] } }, /tier 1 maximum leverage/],
    ['no tiers', { market: { ...BTC_MARKET, tiers: [] } }, /margin tiers must not be empty/],
    ['a gap in the tiers', { market: { ...BTC_MARKET, tiers: [BTC_MARKET.tiers[0]!, BTC_MARKET.tiers[2]!] } }, /tier 2 must start at notional 50000/],
    ['a risk setting out of range', { risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.5 } }, /Risk setting riskPerTrade/],
    ['a NaN risk setting', { risk: { ...DEFAULT_SETTINGS.risk, liquidationBuffer: Number.NaN } }, /Risk setting liquidationBuffer/],
  ])('rejects %s as invalid input, and judges nothing else', (_, over, message) => {
    expect(invalid(over)).toMatch(message);
  });

  it('reports every bad field, not just the first', () => {
    expect(check({ entry: Number.NaN, leverage: -2 }).violations).toHaveLength(2);
  });
});
