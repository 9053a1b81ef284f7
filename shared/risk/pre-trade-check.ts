import type { CheckViolation, Side, Verdict } from '../domain';
import { HARD_LEVERAGE_CEILING } from '../settings';
import { marketLimitViolations } from './market-limits';
import { formatNumber, formatPct, formatUsd } from './message-format';
import { isNonNegative, isPositive } from './number-checks';
import { isOnStep } from './precision';
import { maxLeverageForNotional } from './tiers';
import { type TradeBasics, invalidInputViolations } from './trade-input-checks';

/** A trade ready to send, as the pre-trade check sees it. */
export interface PreTradeInput extends TradeBasics {
  /** Order quantity in base asset, already rounded to the market's amount step. */
  quantity: number;
  /** From `liquidationPrice`; null when the position cannot be liquidated. */
  liquidationPrice: number | null;
}

/** Float noise allowed before a value counts as over a cap. */
const TOLERANCE = 1e-9;
const exceeds = (value: number, cap: number): boolean => value > cap * (1 + TOLERANCE);

function inputProblems(input: PreTradeInput): CheckViolation[] {
  const violations = invalidInputViolations(input);
  if (!isNonNegative(input.quantity)) violations.push({ rule: 'invalid-input', message: `The quantity must be a number of zero or more (got ${input.quantity}).` });
  if (input.liquidationPrice !== null && !isPositive(input.liquidationPrice)) {
    violations.push({ rule: 'invalid-input', message: `The liquidation price must be a number above zero or absent (got ${input.liquidationPrice}).` });
  }
  return violations;
}

function sideViolations({ side, entry, stop, takeProfit }: PreTradeInput): CheckViolation[] {
  const below = side === 'long';
  const violations: CheckViolation[] = [];
  if (below !== stop < entry) {
    violations.push({ rule: 'stop-side', message: `For a ${side}, the stop-loss (${formatNumber(stop)}) must sit ${below ? 'below' : 'above'} the entry (${formatNumber(entry)}).` });
  }
  if (below !== takeProfit > entry) {
    violations.push({ rule: 'take-profit-side', message: `For a ${side}, the take-profit (${formatNumber(takeProfit)}) must sit ${below ? 'above' : 'below'} the entry (${formatNumber(entry)}).` });
  }
  return violations;
}

function riskViolations({ entry, stop, takeProfit, quantity, account, risk }: PreTradeInput, sidesOk: boolean): CheckViolation[] {
  const violations: CheckViolation[] = [];
  const atRisk = quantity * Math.abs(entry - stop);
  const cap = account.equity * risk.riskPerTrade;
  if (exceeds(atRisk, cap)) {
    violations.push({
      rule: 'risk-per-trade',
      message: `This trade risks ${formatUsd(atRisk)} (${formatPct(atRisk / account.equity)} of equity), above your cap of ${formatPct(risk.riskPerTrade)} (${formatUsd(cap)}).`,
    });
  }
  const ratio = Math.abs(takeProfit - entry) / Math.abs(entry - stop);
  if (sidesOk && ratio < risk.minRewardRisk * (1 - TOLERANCE)) {
    violations.push({ rule: 'reward-risk', message: `Reward:risk is ${formatNumber(Number(ratio.toFixed(2)))}, below your minimum of ${formatNumber(risk.minRewardRisk)}.` });
  }
  return violations;
}

function leverageViolations({ leverage, quantity, entry, market, risk }: PreTradeInput): CheckViolation[] {
  const violations: CheckViolation[] = [];
  const userCap = Math.min(risk.maxLeverage, HARD_LEVERAGE_CEILING);
  if (leverage > userCap) {
    violations.push({ rule: 'leverage-user-cap', message: `Leverage ${formatNumber(leverage)}x is above your cap of ${formatNumber(userCap)}x.` });
  }
  const notional = quantity * entry;
  const exchangeCap = Math.min(market.maxLeverage, maxLeverageForNotional(notional, market.tiers));
  if (leverage > exchangeCap) {
    violations.push({
      rule: 'leverage-tier-max',
      message: `For a position of ${formatUsd(notional)}, ${market.symbol} allows at most ${formatNumber(exchangeCap)}x; ${formatNumber(leverage)}x was asked.`,
    });
  }
  return violations;
}

function liquidationViolations({ side, entry, stop, liquidationPrice, risk }: PreTradeInput): CheckViolation[] {
  const violation = liquidationBufferViolation({ side, entry, stop, liquidationPrice, buffer: risk.liquidationBuffer });
  return violation ? [violation] : [];
}

/**
 * The liquidation-buffer rule, for an entry and for a stop moved later: measured from the entry, the stop may sit
 * at most `buffer` of the way to the liquidation price, so the stop always triggers well before liquidation.
 * Null when the rule holds, or when the position cannot be liquidated.
 */
export function liquidationBufferViolation(input: { side: Side; entry: number; stop: number; liquidationPrice: number | null; buffer: number }): CheckViolation | null {
  const { side, entry, stop, liquidationPrice, buffer } = input;
  if (liquidationPrice === null) return null;
  const s = side === 'long' ? 1 : -1;
  const toLiquidation = s * (entry - liquidationPrice);
  const toStop = s * (entry - stop);
  if (toLiquidation <= 0) {
    return { rule: 'liquidation-buffer', message: `The liquidation price (${formatNumber(liquidationPrice)}) is at or past the entry (${formatNumber(entry)}): the position would be liquidated at once.` };
  }
  if (!exceeds(toStop, buffer * toLiquidation)) return null;
  return {
    rule: 'liquidation-buffer',
    message: `The stop (${formatNumber(stop)}) sits ${formatPct(toStop / toLiquidation)} of the way from entry to the liquidation price (${formatNumber(liquidationPrice)}); it must sit at most ${formatPct(buffer)} of the way, so liquidation could come before the stop. Lower the leverage or move the stop closer.`,
  };
}

function exposureViolations({ quantity, entry, leverage, market, account, risk }: PreTradeInput): CheckViolation[] {
  const violations: CheckViolation[] = [];
  const notional = quantity * entry;
  const positionCap = risk.maxPositionNotional * account.equity;
  if (exceeds(notional, positionCap)) {
    violations.push({ rule: 'position-notional', message: `This position is worth ${formatUsd(notional)}, above your cap of ${formatNumber(risk.maxPositionNotional)}× equity (${formatUsd(positionCap)}).` });
  }
  const exposureCap = risk.maxTotalExposure * account.equity;
  const exposure = account.totalNotional + notional;
  if (exceeds(exposure, exposureCap)) {
    violations.push({ rule: 'total-exposure', message: `Open positions would total ${formatUsd(exposure)}, above your cap of ${formatNumber(risk.maxTotalExposure)}× equity (${formatUsd(exposureCap)}).` });
  }
  const required = notional / leverage + notional * market.takerFee;
  if (required > account.freeMargin) {
    violations.push({ rule: 'free-margin', message: `This trade needs ${formatUsd(required)} of margin and fees, but only ${formatUsd(account.freeMargin)} is free.` });
  }
  return violations;
}

function tickViolations({ entry, stop, takeProfit, market }: PreTradeInput): CheckViolation[] {
  const prices: [string, number][] = [['entry', entry], ['stop-loss', stop], ['take-profit', takeProfit]];
  return prices
    .filter(([, price]) => !isOnStep(price, market.tickSize))
    .map(([name, price]) => ({ rule: 'market-limits', message: `The ${name} price ${formatNumber(price)} is not on ${market.symbol}'s ${formatNumber(market.tickSize)} tick.` }));
}

/**
 * Checks a trade against every pre-trade rule and returns EVERY violated one, each with its rule id and a
 * sentence a trader understands: invalid input, risk per trade, the user's and the exchange's leverage caps,
 * reward:risk, stop and take-profit sides, liquidation safely beyond the stop, position and total exposure caps,
 * free margin, and the market's limits. Invalid input stops the check there: nothing else can be judged on it.
 *
 * Risk is quantity × |entry − stop|; fees are not counted in it. Free margin must cover the initial margin
 * (notional / leverage) plus the entry taker fee.
 */
export function preTradeCheck(input: PreTradeInput): Verdict {
  const invalid = inputProblems(input);
  if (invalid.length > 0) return { ok: false, violations: invalid };
  const sides = sideViolations(input);
  const violations = [
    ...sides,
    ...riskViolations(input, sides.length === 0),
    ...leverageViolations(input),
    ...liquidationViolations(input),
    ...exposureViolations(input),
    ...marketLimitViolations(input.quantity, input.entry, input.market),
    ...tickViolations(input),
  ];
  return { ok: violations.length === 0, violations };
}
