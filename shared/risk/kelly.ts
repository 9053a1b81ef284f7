import { requirePositive } from './number-checks';

/** A strategy's track record, the inputs of the Kelly criterion. */
export interface TradeStats {
  /** Fraction of trades that won, in [0, 1]. */
  winRate: number;
  /** Average win, as a positive amount. */
  averageWin: number;
  /** Average loss, as a positive amount. */
  averageLoss: number;
}

/** Kelly sizing suggestions, as fractions of equity to risk. */
export interface KellySuggestion {
  /** The raw Kelly fraction p − (1 − p) / b; negative when the record shows no edge. */
  kelly: number;
  /** Full Kelly, clamped to [0, risk cap]. */
  full: number;
  /** Half Kelly, clamped to [0, risk cap]. */
  half: number;
  /** Quarter Kelly, clamped to [0, risk cap]. */
  quarter: number;
}

/**
 * The Kelly fraction f* = p − (1 − p) / b, with p the win rate and b = average win / average loss.
 * @throws RangeError when the win rate is outside [0, 1] or an average is not a finite number above zero.
 */
export function kellyFraction({ winRate, averageWin, averageLoss }: TradeStats): number {
  if (!(winRate >= 0 && winRate <= 1)) throw new RangeError(`win rate must be in [0, 1], got ${winRate}`);
  requirePositive('average win', averageWin);
  requirePositive('average loss', averageLoss);
  return winRate - (1 - winRate) / (averageWin / averageLoss);
}

/**
 * Full, ½ and ¼ Kelly as sizing suggestions, each never negative and never above `riskCap`
 * (the configured risk per trade).
 * @throws RangeError on bad stats or a risk cap that is not a finite number above zero.
 */
export function kellySuggestion(stats: TradeStats, riskCap: number): KellySuggestion {
  requirePositive('risk cap', riskCap);
  const kelly = kellyFraction(stats);
  const clamp = (f: number): number => Math.min(riskCap, Math.max(0, f));
  return { kelly, full: clamp(kelly), half: clamp(kelly / 2), quarter: clamp(kelly / 4) };
}
