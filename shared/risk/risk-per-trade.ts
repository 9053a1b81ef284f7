import type { RiskFigure } from '../domain';

/**
 * The risk per trade that sizes a proposal: the strategy's own figure when it
 * declares one, never above the global setting, which stays the ceiling.
 * Throws a RangeError for a declared figure that is not a fraction of equity
 * above zero and at most 1.
 *
 * @example riskPerTradeFor(0.015, 0.02) // { fraction: 0.015, source: 'strategy', declared: 0.015 }
 * @example riskPerTradeFor(0.015, 0.01) // { fraction: 0.01, source: 'capped', declared: 0.015 }
 */
export function riskPerTradeFor(declared: number | undefined | null, global: number): RiskFigure {
  if (declared === undefined || declared === null) return { fraction: global, source: 'global', declared: null };
  if (!(Number.isFinite(declared) && declared > 0 && declared <= 1)) {
    throw new RangeError(`A strategy's risk per trade must be a fraction of equity above 0 and at most 1, got ${declared}`);
  }
  return declared > global ? { fraction: global, source: 'capped', declared } : { fraction: declared, source: 'strategy', declared };
}

/** The risk figure in words, as a proposal shows it: `1.5% (adaptive-leverage's own)`. */
export function describeRiskFigure(figure: RiskFigure, strategy: string): string {
  const pct = (f: number) => `${+(f * 100).toFixed(3)}%`;
  switch (figure.source) {
    case 'global':
      return `${pct(figure.fraction)} (your risk setting)`;
    case 'strategy':
      return `${pct(figure.fraction)} (${strategy}'s own)`;
    case 'capped':
      return `${pct(figure.fraction)} (your risk setting; ${strategy} asks ${pct(figure.declared!)})`;
  }
}
