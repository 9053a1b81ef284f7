import { describe, expect, it } from 'vitest';
import type { CheckViolation } from '../domain';
import { DEFAULT_SETTINGS } from '../settings';
import { chooseLeverage, leverageCandidates } from './leverage-choice';
import { BTC_MARKET } from './market.fixture';
import { type TradePlan, type TradePlanInput, planTrade } from './trade-plan';

/** The fresh paper account of issue 13: 10,000 USDT, a BTC long with its stop 2% and its take-profit 4% away. */
const base: Omit<TradePlanInput, 'leverage'> = {
  side: 'long',
  entry: 60_000,
  stop: 58_800,
  takeProfit: 62_400,
  market: BTC_MARKET,
  account: { equity: 10_000, walletBalance: 10_000, freeMargin: 10_000, totalNotional: 0 },
  marginMode: 'isolated',
  risk: DEFAULT_SETTINGS.risk,
  exchange: 'binanceusdm',
};

/** The engine adds the breakers' checks to every plan; this one is the position-margin cap (20% of equity by default). */
function withMarginCap(plan: TradePlan, equity: number, capPct: number): TradePlan {
  const pct = (plan.margin / equity) * 100;
  if (pct <= capPct) return plan;
  const violation: CheckViolation = { rule: 'breaker', message: `One position (margin): ${pct.toFixed(1)}% of equity is over the ${capPct}% cap` };
  return { ...plan, verdict: { ok: false, violations: [...plan.verdict.violations, violation] } };
}

const planAt = (over: Partial<TradePlanInput> = {}, capPct = 20) => (leverage: number) =>
  withMarginCap(planTrade({ ...base, ...over, leverage }), over.account?.equity ?? base.account.equity, capPct);

const limits = { cap: 5, marketMax: BTC_MARKET.maxLeverage, tiers: BTC_MARKET.tiers };

describe('the leverages a planner may try', () => {
  it('are every whole number from 1x up to the user’s cap', () => {
    expect(leverageCandidates(5_000, limits)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stop at the tier’s limit for the notional, and at the market’s maximum', () => {
    expect(leverageCandidates(12_000_000, { ...limits, cap: 20 })).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(leverageCandidates(5_000, { ...limits, cap: 20, marketMax: 3 })).toEqual([1, 2, 3]);
  });

  it('never pass the hard ceiling', () => {
    expect(leverageCandidates(5_000, { ...limits, cap: 125 })).toHaveLength(20);
  });

  it('round a fractional cap down, as exchanges set whole leverage: a 1.5x cap allows 1x, a 2.5x cap 1x and 2x', () => {
    expect(leverageCandidates(5_000, { ...limits, cap: 1.5 })).toEqual([1]);
    expect(leverageCandidates(5_000, { ...limits, cap: 2.5 })).toEqual([1, 2]);
  });

  it('always include 1x, so a limit under 1 still gets a verdict', () => {
    expect(leverageCandidates(5_000, { ...limits, cap: 0.5 })).toEqual([1]);
  });
});

describe('leverage left empty', () => {
  it('takes the lowest leverage that passes: a 2% stop needs 3x to keep the margin under 20% of equity', () => {
    const choice = chooseLeverage([1, 2, 3, 4, 5], planAt());
    expect(choice.passed).toBe(true);
    expect(choice.leverage).toBe(3);
    expect(choice.plan.verdict).toEqual({ ok: true, violations: [] });
    expect(choice.plan.margin / 10_000).toBeLessThanOrEqual(0.2);
    expect(planAt()(2).verdict.ok).toBe(false);
  });

  it('takes 1x when 1x passes', () => {
    const choice = chooseLeverage([1, 2, 3], planAt({ stop: 54_000, takeProfit: 72_000 }));
    expect(choice).toMatchObject({ leverage: 1, passed: true });
  });

  it('says which check no leverage can satisfy when the same one fails at each', () => {
    const choice = chooseLeverage([1, 2, 3, 4, 5], planAt({ takeProfit: 60_600 }));
    expect(choice.passed).toBe(false);
    expect(choice.plan.verdict.ok).toBe(false);
    const [first, ...rest] = choice.plan.verdict.violations;
    expect(first!.rule).toBe('leverage-none-passes');
    expect(first!.message).toContain('No leverage passes: the minimum reward:risk is not met at any leverage from 1x to 5x');
    expect(rest.map((v) => v.rule)).toEqual(['reward-risk']);
    expect(choice.leverage).toBe(3);
  });

  it('names each failing check when they pull in opposite directions, and shows the plan with the fewest violations', () => {
    const choice = chooseLeverage([1, 2], planAt({}, 20));
    expect(choice.passed).toBe(false);
    expect(choice.plan.verdict.violations[0]!.message).toContain('No leverage passes: the breakers’ checks (margin caps included) are not met at any leverage from 1x to 2x');
    const squeezed = chooseLeverage([1, 2, 3], (leverage) => ({
      verdict: leverage < 3 ? { ok: false, violations: [{ rule: 'breaker' as const, message: 'margin' }] } : { ok: false, violations: [{ rule: 'liquidation-buffer' as const, message: 'liquidation' }] },
    }));
    expect(squeezed.leverage).toBe(1);
    expect(squeezed.plan.verdict.violations[0]!.message).toContain('any leverage from 1x to 3x fails one of the breakers’ checks (margin caps included) and the liquidation buffer');
    expect(squeezed.plan.verdict.violations.slice(1)).toEqual([{ rule: 'breaker', message: 'margin' }]);
  });

  it('says so for a single leverage tried', () => {
    const choice = chooseLeverage([1], planAt({}, 20));
    expect(choice.plan.verdict.violations[0]!.message).toContain('are not met at 1x. The figures shown are at 1x.');
  });

  it('refuses an empty list', () => {
    expect(() => chooseLeverage([], planAt())).toThrow(RangeError);
  });
});
