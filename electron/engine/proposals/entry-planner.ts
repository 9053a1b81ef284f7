import type { CheckViolation, PlanFigures, Proposal, Verdict } from '../../../shared/domain';
import { crossAccount, openExposure, type HeldPosition } from '../../../shared/risk/open-positions';
import { chooseLeverage, leverageCandidates } from '../../../shared/risk/leverage-choice';
import { planTrade, type TradePlan } from '../../../shared/risk/trade-plan';
import { HARD_LEVERAGE_CEILING, type Settings } from '../../../shared/settings';
import type { AccountBook } from '../account/account-book';
import type { ExchangeAdapter } from '../exchange/adapter';
import type { EntryGates } from '../entry-gates';

/**
 * What an entry is planned from: a proposal's prices and leverage, before sizing. Without a leverage the
 * planner chooses the lowest that passes every check. `automated` marks a strategy's entry: the strategies'
 * own leverage cap applies to it as well as the user's. `riskPerTrade` sizes it (and caps its risk) instead
 * of the global setting, when given: a strategy's own figure, already capped by the global one.
 */
export type EntryIdea = Pick<Proposal, 'symbol' | 'side' | 'entry' | 'stop' | 'takeProfit'> & { leverage?: number; automated?: boolean; riskPerTrade?: number };

/** A planned entry and the whole leverage it is planned at (the one chosen, when the idea named none). */
export type EntryPlan = TradePlan & { leverage: number; leverageChosen: boolean };

/** The leverage the exchange will be set to: whole numbers only, at least 1. */
export function exchangeLeverage(leverage: number): number {
  return Math.max(1, Math.floor(leverage + 1e-9));
}

export interface EntryPlannerDeps {
  adapter: ExchangeAdapter;
  book: AccountBook;
  gates: EntryGates;
  settings: () => Settings;
}

/** The leverage cap an entry answers to: the user's, and for a strategy's entry also the strategies' cap. */
export function entryLeverageCap(settings: Settings, automated: boolean): number {
  const user = Math.min(settings.risk.maxLeverage, HARD_LEVERAGE_CEILING);
  return automated ? Math.min(user, settings.breakers.strategyMaxLeverage) : user;
}

/**
 * Sizes and checks an entry the one way the cockpit knows: `planTrade` from
 * shared/risk on the account as it is now, plus every entry gate (the breakers).
 * An idea without a leverage is planned at the lowest whole leverage, up to its cap
 * and the market's tier limit, that passes all of them (shared/risk/leverage-choice.ts).
 */
export function planEntry(deps: EntryPlannerDeps, idea: EntryIdea): EntryPlan {
  const automated = idea.automated ?? false;
  if (idea.leverage !== undefined) return { ...planAtLeverage(deps, idea, exchangeLeverage(idea.leverage), automated), leverage: exchangeLeverage(idea.leverage), leverageChosen: false };
  const market = deps.adapter.market(idea.symbol);
  const planAt = (leverage: number) => planAtLeverage(deps, idea, leverage, automated);
  const notional = planAt(1).notional;
  const limits = { cap: entryLeverageCap(deps.settings(), automated), marketMax: market.maxLeverage, tiers: market.tiers };
  const choice = chooseLeverage(leverageCandidates(notional, limits), planAt);
  return { ...choice.plan, leverage: choice.leverage, leverageChosen: true };
}

function planAtLeverage(deps: EntryPlannerDeps, idea: EntryIdea, leverage: number, automated: boolean): TradePlan {
  const market = deps.adapter.market(idea.symbol);
  const settings = deps.settings();
  const account = deps.book.accountState();
  const others: HeldPosition[] = deps.book
    .exchangePositions()
    .filter((p) => p.symbol !== idea.symbol)
    .map((p) => ({ ...p, markPrice: deps.book.markPrice(p.symbol) ?? p.markPrice }));
  const cross = settings.risk.marginMode === 'cross' ? crossAccount(account.walletBalance, others, (symbol) => deps.adapter.market(symbol).tiers) : null;
  const plan = planTrade({
    side: idea.side,
    entry: idea.entry,
    stop: idea.stop,
    takeProfit: idea.takeProfit,
    leverage,
    market,
    account: {
      equity: account.equity,
      freeMargin: account.freeMargin,
      totalNotional: openExposure(others),
      walletBalance: cross?.walletBalance ?? account.walletBalance,
      openPositions: cross?.openPositions ?? [],
    },
    risk: idea.riskPerTrade === undefined ? settings.risk : { ...settings.risk, riskPerTrade: idea.riskPerTrade },
    marginMode: settings.risk.marginMode,
    exchange: deps.adapter.capabilities.liquidationFormula,
  });
  const gated = deps.gates.violations({
    symbol: idea.symbol,
    side: idea.side,
    leverage,
    automated,
    margin: plan.margin,
    notional: plan.notional,
    distanceToLiquidationPct: plan.distanceToLiquidationPct,
  });
  return gated.length ? { ...plan, verdict: mergeVerdict(plan.verdict, gated) } : plan;
}

function mergeVerdict(verdict: Verdict, extra: CheckViolation[]): Verdict {
  const violations = [...verdict.violations, ...extra];
  return { ok: violations.length === 0, violations };
}

/** The sized figures of a plan, as a proposal shows them. */
export function planFigures(plan: TradePlan): PlanFigures {
  const { quantity, notional, margin, riskAmount, rewardRisk, liquidationPrice, distanceToLiquidationPct, estimatedFees, verdict } = plan;
  return { quantity, notional, margin, riskAmount, rewardRisk, liquidationPrice, distanceToLiquidationPct, estimatedFees, verdict };
}

/** One line per violation, for a refusal message. */
export function describeViolations(verdict: Verdict): string {
  return verdict.violations.map((v) => v.message).join(' ');
}
