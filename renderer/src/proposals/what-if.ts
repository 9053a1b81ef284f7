import type { AccountState, LiquidationFormula, MarketInfo, Position, Proposal } from '../../../shared/domain';
import { crossAccount, openExposure } from '../../../shared/risk/open-positions';
import { planTrade, type TradePlan } from '../../../shared/risk/trade-plan';
import type { RiskSettings } from '../../../shared/settings';

/**
 * A proposal re-planned in the renderer while its stop is dragged. Computed
 * with the shared risk functions, never re-derived here; the engine re-plans
 * for real when the moved proposal is submitted.
 */
export interface WhatIf
  extends Pick<TradePlan, 'stop' | 'quantity' | 'notional' | 'margin' | 'riskAmount' | 'rewardRisk' | 'liquidationPrice' | 'distanceToLiquidationPct'> {
  proposalId: string;
  /** Why this stop would not be accepted, when it would not. */
  problem: string | null;
}

/** What the preview needs besides the proposal: the market, the account and the risk settings, all from the engine. */
export interface WhatIfContext {
  /** Every market by unified symbol: the proposal's, and those of open positions (their tiers matter in cross margin). */
  markets: Readonly<Record<string, MarketInfo>>;
  account: AccountState;
  positions: readonly Position[];
  risk: RiskSettings;
  /** The engine's liquidation formula for this exchange (from the session snapshot). */
  liquidationFormula: LiquidationFormula;
}

/**
 * Re-plans a proposal with its stop at `stop`, through the shared `planTrade`:
 * risk-first quantity, margin, liquidation and the pre-trade verdict, exactly as
 * the engine will when the moved proposal is submitted.
 */
export function planWhatIf(proposal: Proposal, stop: number, context: WhatIfContext): WhatIf {
  const market = context.markets[proposal.symbol];
  const others = context.positions.filter((p) => p.symbol !== proposal.symbol);
  const unknown = [proposal.symbol, ...others.map((p) => p.symbol)].find((symbol) => !context.markets[symbol]);
  if (!market || unknown) return unplanned(proposal, stop, `No market data for ${unknown ?? proposal.symbol} yet.`);
  const cross = context.risk.marginMode === 'cross' ? crossAccount(context.account.walletBalance, others, (symbol) => context.markets[symbol]!.tiers) : null;
  const plan = planTrade({
    side: proposal.side,
    entry: proposal.entry,
    stop,
    takeProfit: proposal.takeProfit,
    leverage: proposal.leverage,
    market,
    account: {
      equity: context.account.equity,
      freeMargin: context.account.freeMargin,
      totalNotional: openExposure(others),
      walletBalance: cross?.walletBalance ?? context.account.walletBalance,
      openPositions: cross?.openPositions ?? [],
    },
    risk: context.risk,
    marginMode: context.risk.marginMode,
    exchange: context.liquidationFormula,
  });
  return {
    proposalId: proposal.id,
    stop: plan.stop,
    quantity: plan.quantity,
    notional: plan.notional,
    margin: plan.margin,
    riskAmount: plan.riskAmount,
    rewardRisk: plan.rewardRisk,
    liquidationPrice: plan.liquidationPrice,
    distanceToLiquidationPct: plan.distanceToLiquidationPct,
    problem: plan.verdict.ok ? null : plan.verdict.violations.map((v) => v.message).join(' '),
  };
}

function unplanned(proposal: Proposal, stop: number, problem: string): WhatIf {
  return {
    proposalId: proposal.id,
    stop,
    quantity: 0,
    notional: 0,
    margin: 0,
    riskAmount: 0,
    rewardRisk: 0,
    liquidationPrice: null,
    distanceToLiquidationPct: null,
    problem,
  };
}
