import type { CheckViolation, MarginMode, PlanFigures } from '../domain';
import { leverage as asLeverage, price, quantity as asQuantity, usd } from '../money';
import { type LiquidationInput, type OtherPosition, liquidationPrice, marginHeadroomAtEntry } from './liquidation';
import { distanceToLiquidationPct, initialMargin, notional as notionalOf, rewardRisk, riskAmount } from './measures';
import { isNonNegative } from './number-checks';
import { preTradeCheck } from './pre-trade-check';
import { roundToTick } from './precision';
import { sizePosition } from './sizing';
import { toMarginTiers } from './tiers';
import { type TradeBasics, invalidInputViolations } from './trade-input-checks';

/** Everything needed to plan one new entry: the engine's proposal builder and the renderer's drag preview both pass it. */
export interface TradePlanInput extends TradeBasics {
  account: TradeBasics['account'] & {
    /** Cross: the account's cross wallet balance (used for the cross liquidation price). */
    walletBalance: number;
    /** Cross: the account's other open cross positions. */
    openPositions?: OtherPosition[];
  };
  marginMode: MarginMode;
  /** Which exchange's published liquidation formula applies. */
  exchange: 'binanceusdm' | 'bybit';
}

/** A sized, checked trade. Its verdict lists every rule it breaks; only an `ok` plan may be sent. */
export interface TradePlan extends PlanFigures {
  /** Entry, stop and take-profit rounded to the market's tick: the prices every other number here uses. */
  entry: number;
  stop: number;
  takeProfit: number;
}

function unsizedPlan(input: TradePlanInput, violations: CheckViolation[]): TradePlan {
  return {
    entry: input.entry,
    stop: input.stop,
    takeProfit: input.takeProfit,
    quantity: 0,
    notional: 0,
    margin: 0,
    riskAmount: 0,
    rewardRisk: 0,
    liquidationPrice: null,
    distanceToLiquidationPct: null,
    estimatedFees: 0,
    verdict: { ok: false, violations },
  };
}

function planProblems(input: TradePlanInput): CheckViolation[] {
  const violations = invalidInputViolations(input);
  if (!isNonNegative(input.account.walletBalance)) {
    violations.push({ rule: 'invalid-input', message: `The wallet balance must be a number of zero or more (got ${input.account.walletBalance}).` });
  }
  if (input.marginMode !== 'isolated' && input.marginMode !== 'cross') {
    violations.push({ rule: 'invalid-input', message: `The margin mode must be isolated or cross (got ${input.marginMode}).` });
  }
  return violations;
}

function liquidationOf(input: TradePlanInput, contracts: number, entry: number, margin: number, entryFee: number): { price: number | null; problem: CheckViolation[] } {
  if (contracts === 0) return { price: null, problem: [] };
  const cross = input.marginMode === 'cross';
  try {
    const liquidation: LiquidationInput = {
      exchange: input.exchange,
      side: input.side,
      contracts,
      entryPrice: entry,
      marginMode: input.marginMode,
      walletBalance: cross ? Math.max(0, input.account.walletBalance - entryFee) : margin,
      tiers: toMarginTiers(input.market.tiers),
      others: cross ? input.account.openPositions : undefined,
    };
    const price = liquidationPrice(liquidation);
    if (price === null && marginHeadroomAtEntry(liquidation) <= 0) {
      return {
        price,
        problem: [{ rule: 'liquidation-buffer', message: 'With this position the account’s margin balance would be at or below its maintenance margin: the exchange would liquidate it at once.' }],
      };
    }
    return { price, problem: [] };
  } catch (error) {
    return { price: null, problem: [{ rule: 'invalid-input', message: `The liquidation price cannot be computed: ${(error as Error).message}.` }] };
  }
}

/**
 * Sizes and checks one new entry from its prices, leverage, market, account and risk settings:
 * risk-first quantity (leverage never changes it), margin, liquidation price by the exchange's formula,
 * fees, reward:risk and the full pre-trade verdict.
 *
 * Never throws on bad numbers: NaN, Infinity, negative or zero inputs come back as `invalid-input` violations
 * in an unsized plan. Assumes no existing position in this symbol (one-way mode). An isolated position's wallet is
 * its initial margin; a cross position's is the cross wallet less the entry fee.
 */
export function planTrade(input: TradePlanInput): TradePlan {
  const problems = planProblems(input);
  if (problems.length > 0) return unsizedPlan(input, problems);
  const { market, account, risk, side } = input;
  const entry = price(roundToTick(input.entry, market.tickSize));
  const stop = price(roundToTick(input.stop, market.tickSize));
  const takeProfit = price(roundToTick(input.takeProfit, market.tickSize));
  const rounded = { ...input, entry, stop, takeProfit };
  const stillValid = invalidInputViolations(rounded);
  if (stillValid.length > 0) return unsizedPlan(rounded, stillValid);

  const sizing = sizePosition({
    equity: usd(account.equity),
    riskFraction: risk.riskPerTrade,
    entry,
    stop,
    maxPositionNotional: usd(risk.maxPositionNotional * account.equity),
    market,
  });
  const quantity = sizing.quantity;
  const notional = notionalOf(quantity, entry);
  const margin = initialMargin(notional, asLeverage(input.leverage));
  const entryFee = notional * market.takerFee;
  const liquidation = liquidationOf(input, quantity, entry, margin, entryFee);
  const verdict = preTradeCheck({ ...rounded, quantity, liquidationPrice: liquidation.price });
  const violations = [...liquidation.problem, ...verdict.violations];
  return {
    entry,
    stop,
    takeProfit,
    quantity,
    notional,
    margin,
    riskAmount: riskAmount(asQuantity(quantity), entry, stop),
    rewardRisk: rewardRisk(entry, stop, takeProfit),
    liquidationPrice: liquidation.price,
    distanceToLiquidationPct: distanceToLiquidationPct(side, entry, liquidation.price === null ? null : price(liquidation.price)),
    estimatedFees: entryFee + quantity * stop * market.takerFee,
    verdict: { ok: violations.length === 0, violations },
  };
}
