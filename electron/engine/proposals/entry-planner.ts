import type { CheckViolation, PlanFigures, Proposal, Verdict } from '../../../shared/domain';
import { crossAccount, openExposure, type HeldPosition } from '../../../shared/risk/open-positions';
import { planTrade, type TradePlan } from '../../../shared/risk/trade-plan';
import type { Settings } from '../../../shared/settings';
import type { AccountBook } from '../account/account-book';
import type { ExchangeAdapter } from '../exchange/adapter';
import type { EntryGates } from '../entry-gates';

/**
 * What an entry is planned from: a proposal's prices and leverage, before sizing. `riskPerTrade`
 * sizes it (and caps its risk) instead of the global setting, when given: a strategy's own figure,
 * already capped by the global one.
 */
export type EntryIdea = Pick<Proposal, 'symbol' | 'side' | 'entry' | 'stop' | 'takeProfit' | 'leverage'> & { riskPerTrade?: number };

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

/**
 * Sizes and checks an entry the one way the cockpit knows: `planTrade` from
 * shared/risk on the account as it is now, plus every entry gate (the breakers).
 */
export function planEntry(deps: EntryPlannerDeps, idea: EntryIdea): TradePlan {
  const market = deps.adapter.market(idea.symbol);
  const settings = deps.settings();
  const account = deps.book.accountState();
  const others: HeldPosition[] = deps.book
    .exchangePositions()
    .filter((p) => p.symbol !== idea.symbol)
    .map((p) => ({ ...p, markPrice: deps.book.markPrice(p.symbol) ?? p.markPrice }));
  const leverage = exchangeLeverage(idea.leverage);
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
