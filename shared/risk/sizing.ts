import type { CheckViolation } from '../domain';
import { type Price, type Quantity, type Usd, quantity } from '../money';
import { type MarketLimits, marketLimitViolations } from './market-limits';
import { requireLimit, requireNonNegative, requirePositive } from './number-checks';
import { roundDownToStep } from './precision';

export interface SizingInput {
  equity: Usd;
  /** Fraction of equity to lose if the stop fills (0.01 = 1%). */
  riskFraction: number;
  entry: Price;
  stop: Price;
  /** Largest notional this one position may have, in USDT (Infinity for no cap). */
  maxPositionNotional: Usd;
  market: MarketLimits;
}

/** What capped the quantity: the risk itself, the position-notional cap, or the market's largest order. */
export type SizingLimit = 'risk' | 'position-notional' | 'market-max-amount';

export type SizingResult =
  | { ok: true; quantity: Quantity; riskQuantity: Quantity; limitedBy: SizingLimit }
  | { ok: false; quantity: Quantity; riskQuantity: Quantity; limitedBy: SizingLimit; violations: CheckViolation[] };

function validate({ equity, riskFraction, entry, stop, maxPositionNotional, market }: SizingInput): void {
  requirePositive('equity', equity);
  requirePositive('risk fraction', riskFraction);
  requirePositive('entry', entry);
  requirePositive('stop', stop);
  if (entry === stop) throw new RangeError('stop must differ from entry');
  requireLimit('max position notional', maxPositionNotional);
  requirePositive('amount step', market.amountStep);
  requireNonNegative('min amount', market.minAmount);
  requireLimit('max amount', market.maxAmount);
  requireLimit('max market amount', market.maxMarketAmount);
  requireNonNegative('min notional', market.minNotional);
}

/**
 * Risk-first position size: quantity = equity × risk fraction / |entry − stop|, then capped by the
 * position-notional cap and the market's largest (market) order, and rounded DOWN to the amount step.
 * Leverage is not an input: it sets the margin, never the size.
 *
 * @returns `ok: false` with `market-limits` violations when the rounded quantity is zero or below the
 *   market's minimum amount or minimum notional; that quantity must not be sent.
 * @throws RangeError on NaN, Infinity, zero or negative inputs, or a stop equal to entry.
 */
export function sizePosition(input: SizingInput): SizingResult {
  validate(input);
  const { equity, riskFraction, entry, stop, maxPositionNotional, market } = input;
  const riskQuantity = quantity((equity * riskFraction) / Math.abs(entry - stop));
  const caps: { limitedBy: SizingLimit; amount: number }[] = [
    { limitedBy: 'risk', amount: riskQuantity },
    { limitedBy: 'position-notional', amount: maxPositionNotional / entry },
    { limitedBy: 'market-max-amount', amount: Math.min(market.maxAmount, market.maxMarketAmount) },
  ];
  const binding = caps.reduce((tightest, cap) => (cap.amount < tightest.amount ? cap : tightest));
  const rounded = quantity(roundDownToStep(binding.amount, market.amountStep));
  const violations = marketLimitViolations(rounded, entry, market);
  const result = { quantity: rounded, riskQuantity, limitedBy: binding.limitedBy };
  return violations.length === 0 ? { ok: true, ...result } : { ok: false, ...result, violations };
}
