import type { CheckViolation, MarketInfo, Side } from '../domain';
import { type RiskSettings, riskSettingsSchema } from '../settings';
import { isNonNegative, isPositive } from './number-checks';
import { toMarginTiers, validateMarginTiers } from './tiers';

/** What every trade check starts from: the trade's prices and leverage, the market, the account and the risk settings. */
export interface TradeBasics {
  side: Side;
  entry: number;
  stop: number;
  takeProfit: number;
  leverage: number;
  market: MarketInfo;
  account: {
    equity: number;
    /** Margin still available for new positions; may be negative when the account is underwater. */
    freeMargin: number;
    /** Notional of all open positions, this symbol's excluded. */
    totalNotional: number;
  };
  risk: RiskSettings;
}

type NumberRule = [label: string, value: number, valid: (n: number) => boolean, expectation: string];

const ABOVE_ZERO = 'a number above zero';
const ZERO_OR_MORE = 'a number of zero or more';
const isLeverage = (n: number): boolean => Number.isFinite(n) && n >= 1;
const isLimit = (n: number): boolean => n > 0;

const invalid = (message: string): CheckViolation => ({ rule: 'invalid-input', message });

function numberRules({ entry, stop, takeProfit, leverage, market, account }: TradeBasics): NumberRule[] {
  return [
    ['The entry price', entry, isPositive, ABOVE_ZERO],
    ['The stop-loss price', stop, isPositive, ABOVE_ZERO],
    ['The take-profit price', takeProfit, isPositive, ABOVE_ZERO],
    ['The leverage', leverage, isLeverage, 'a number of at least 1'],
    ['Equity', account.equity, isPositive, ABOVE_ZERO],
    ['Free margin', account.freeMargin, Number.isFinite, 'a finite number'],
    ['Open notional', account.totalNotional, isNonNegative, ZERO_OR_MORE],
    [`${market.symbol} tick size`, market.tickSize, isPositive, ABOVE_ZERO],
    [`${market.symbol} amount step`, market.amountStep, isPositive, ABOVE_ZERO],
    [`${market.symbol} minimum amount`, market.minAmount, isNonNegative, ZERO_OR_MORE],
    [`${market.symbol} maximum amount`, market.maxAmount, isLimit, ABOVE_ZERO],
    [`${market.symbol} maximum market-order amount`, market.maxMarketAmount, isLimit, ABOVE_ZERO],
    [`${market.symbol} minimum notional`, market.minNotional, isNonNegative, ZERO_OR_MORE],
    [`${market.symbol} taker fee`, market.takerFee, isNonNegative, ZERO_OR_MORE],
    [`${market.symbol} maximum leverage`, market.maxLeverage, isLeverage, 'a number of at least 1'],
    ...market.tiers.map((tier, i): NumberRule => [`${market.symbol} tier ${i + 1} maximum leverage`, tier.maxLeverage, isLeverage, 'a number of at least 1']),
  ];
}

function tierProblems(market: MarketInfo): CheckViolation[] {
  try {
    validateMarginTiers(toMarginTiers(market.tiers));
    return [];
  } catch (error) {
    return [invalid(`${market.symbol}: ${(error as Error).message}.`)];
  }
}

function settingsProblems(risk: RiskSettings): CheckViolation[] {
  const parsed = riskSettingsSchema.safeParse(risk);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => invalid(`Risk setting ${issue.path.join('.')}: ${issue.message}.`));
}

/**
 * Every `invalid-input` problem with a trade's basics: NaN, Infinity, negative or zero numbers, an unknown side,
 * a stop equal to entry, malformed market tiers or risk settings. Empty when the basics can be checked further.
 */
export function invalidInputViolations(basics: TradeBasics): CheckViolation[] {
  const violations = numberRules(basics)
    .filter(([, value, valid]) => !valid(value))
    .map(([label, value, , expectation]) => invalid(`${label} must be ${expectation} (got ${value}).`));
  if (basics.side !== 'long' && basics.side !== 'short') violations.push(invalid(`The side must be long or short (got ${basics.side}).`));
  if (basics.entry === basics.stop) violations.push(invalid('The stop-loss must differ from the entry: with no distance the risk cannot be sized.'));
  return [...violations, ...tierProblems(basics.market), ...settingsProblems(basics.risk)];
}
