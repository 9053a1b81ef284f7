import type { CheckViolation, MarketTier, PreTradeRule, Verdict } from '../domain';
import { HARD_LEVERAGE_CEILING } from '../settings';
import { maxLeverageForNotional } from './tiers';

/** Float noise allowed when a cap is a whole number computed from fractions. */
const EPSILON = 1e-9;

/** The limits on the leverage a planner may choose for one entry. */
export interface LeverageLimits {
  /** The user's cap (for a strategy: the lower of the user's and the strategies' cap). May be fractional. */
  cap: number;
  /** The market's own maximum leverage. */
  marketMax: number;
  /** The market's margin tiers: the tier a notional falls in sets its maximum leverage. */
  tiers: readonly MarketTier[];
}

/**
 * The leverages a planner may try for a position of this notional: every whole number from 1x up to the
 * lowest of the cap (never above the hard ceiling), the market's maximum and its tier's limit. Exchanges set
 * whole leverage only, so a fractional cap rounds down: a 1.5x cap allows 1x. 1x is always tried, so a
 * cap or a limit under 1 still yields a plan whose verdict says which limit it breaks.
 */
export function leverageCandidates(notional: number, limits: LeverageLimits): number[] {
  const highest = Math.min(limits.cap, HARD_LEVERAGE_CEILING, limits.marketMax, maxLeverageForNotional(notional, limits.tiers));
  const top = Math.max(1, Math.floor(highest + EPSILON));
  return Array.from({ length: top }, (_, i) => i + 1);
}

/** What {@link chooseLeverage} settles on: the leverage, its plan, and whether any leverage passed. */
export interface LeverageChoice<P> {
  leverage: number;
  /** The plan at `leverage`. When no leverage passes, its verdict starts with a `leverage-none-passes` violation. */
  plan: P;
  passed: boolean;
}

const RULE_NAMES: Record<PreTradeRule, string> = {
  'invalid-input': 'the input checks',
  'risk-per-trade': 'the risk per trade',
  'leverage-user-cap': 'the leverage cap',
  'leverage-tier-max': 'the exchange’s leverage limit',
  'leverage-none-passes': 'the leverage choice',
  'reward-risk': 'the minimum reward:risk',
  'stop-side': 'the stop’s side',
  'take-profit-side': 'the take-profit’s side',
  'liquidation-buffer': 'the liquidation buffer',
  'total-exposure': 'the total exposure cap',
  'position-notional': 'the position size cap',
  'free-margin': 'the free margin',
  'market-limits': 'the market’s limits',
  breaker: 'the breakers’ checks (margin caps included)',
  'data-disk': 'the data folder being writable',
};

const rulesOf = (verdict: Verdict): Set<PreTradeRule> => new Set(verdict.violations.map((v) => v.rule));
const listed = (rules: readonly PreTradeRule[]): string => rules.map((r) => RULE_NAMES[r]).join(' and ');

function noneSatisfies<P extends { verdict: Verdict }>(tried: readonly { leverage: number; plan: P }[], best: { leverage: number; plan: P }): CheckViolation {
  const range = tried.length === 1 ? `${tried[0]!.leverage}x` : `any leverage from 1x to ${tried[tried.length - 1]!.leverage}x`;
  const sets = tried.map((t) => rulesOf(t.plan.verdict));
  const everywhere = [...sets[0]!].filter((rule) => sets.every((s) => s.has(rule)));
  const message = everywhere.length
    ? `No leverage passes: ${listed(everywhere)} ${everywhere.length === 1 && everywhere[0] !== 'breaker' ? 'is' : 'are'} not met at ${range}. The figures shown are at ${best.leverage}x.`
    : `No leverage passes every check: ${range} fails one of ${listed([...new Set(sets.flatMap((s) => [...s]))])} (a lower leverage ties up more margin, a higher one brings liquidation closer). The figures shown are at ${best.leverage}x.`;
  return { rule: 'leverage-none-passes', message };
}

/**
 * "Leverage left empty": the lowest of `candidates` (ascending) whose plan passes every check.
 * When none passes, the plan with the fewest violations (the lowest leverage among equals), its verdict led by one
 * `leverage-none-passes` violation that names the checks no leverage can satisfy, or, when each leverage fails a
 * different check, the checks that pull in opposite directions.
 */
export function chooseLeverage<P extends { verdict: Verdict }>(candidates: readonly number[], planAt: (leverage: number) => P): LeverageChoice<P> {
  if (candidates.length === 0) throw new RangeError('at least one leverage must be tried');
  const tried: { leverage: number; plan: P }[] = [];
  for (const leverage of candidates) {
    const plan = planAt(leverage);
    if (plan.verdict.ok) return { leverage, plan, passed: true };
    tried.push({ leverage, plan });
  }
  const best = tried.reduce((a, b) => (b.plan.verdict.violations.length < a.plan.verdict.violations.length ? b : a));
  const violations = [noneSatisfies(tried, best), ...best.plan.verdict.violations];
  return { leverage: best.leverage, plan: { ...best.plan, verdict: { ok: false, violations } }, passed: false };
}
