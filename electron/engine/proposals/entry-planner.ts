import type { CheckViolation, MarketInfo, Proposal, Side, Verdict } from '../../../shared/domain';
import type { OtherPosition } from '../../../shared/risk/liquidation';
import { tierIndexForNotional } from '../../../shared/risk/tiers';
import { planTrade, type TradePlan } from '../../../shared/risk/trade-plan';
import type { Settings } from '../../../shared/settings';
import type { AccountBook } from '../account/account-book';
import type { ExchangeAdapter } from '../exchange/adapter';
import type { EntryGates } from '../entry-gates';

export interface EntryIdea {
  symbol: string;
  side: Side;
  entry: number;
  stop: number;
  takeProfit: number;
  leverage: number;
}

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
  const others = deps.book.exchangePositions().filter((p) => p.symbol !== idea.symbol);
  const leverage = exchangeLeverage(idea.leverage);
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
      totalNotional: others.reduce((sum, p) => sum + Math.abs(p.contracts * (deps.book.markPrice(p.symbol) ?? p.markPrice)), 0),
      walletBalance: account.walletBalance,
      openPositions: settings.risk.marginMode === 'cross' ? others.map((p) => otherPosition(p, deps)) : [],
    },
    risk: settings.risk,
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

function otherPosition(p: { symbol: string; side: Side; contracts: number; entryPrice: number; markPrice: number }, deps: EntryPlannerDeps): OtherPosition {
  const mark = deps.book.markPrice(p.symbol) ?? p.markPrice;
  let tiers: MarketInfo['tiers'] = [];
  try {
    tiers = deps.adapter.market(p.symbol).tiers;
  } catch {
    tiers = [];
  }
  const tier = tiers.length ? tiers[tierIndexForNotional(p.contracts * mark, tiers)]! : null;
  return {
    side: p.side,
    contracts: p.contracts,
    entryPrice: p.entryPrice,
    markPrice: mark,
    maintenanceMarginRate: tier?.maintenanceMarginRate ?? 0,
    maintenanceAmount: tier?.maintenanceAmount ?? 0,
  };
}

/** The sized figures of a plan, as a proposal shows them. */
export function planFigures(plan: TradePlan): Pick<Proposal, 'quantity' | 'notional' | 'margin' | 'riskAmount' | 'rewardRisk' | 'liquidationPrice' | 'distanceToLiquidationPct' | 'estimatedFees' | 'verdict'> {
  const { quantity, notional, margin, riskAmount, rewardRisk, liquidationPrice, distanceToLiquidationPct, estimatedFees, verdict } = plan;
  return { quantity, notional, margin, riskAmount, rewardRisk, liquidationPrice, distanceToLiquidationPct, estimatedFees, verdict };
}

/** One line per violation, for a refusal message. */
export function describeViolations(verdict: Verdict): string {
  return verdict.violations.map((v) => v.message).join(' ');
}
