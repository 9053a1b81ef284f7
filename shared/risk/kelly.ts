import { requireFinite, requirePositive } from './number-checks';

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
  return suggest(kellyFraction(stats), riskCap);
}

function suggest(kelly: number, riskCap: number): KellySuggestion {
  const clamp = (f: number): number => Math.min(riskCap, Math.max(0, f));
  return { kelly, full: clamp(kelly), half: clamp(kelly / 2), quarter: clamp(kelly / 4) };
}

/** A record of closed trades, summed up for the Kelly criterion. */
export interface TradeRecordStats {
  trades: number;
  /** Fraction of the trades that made money, in [0, 1]. */
  winRate: number;
  /** Average winning trade, as a positive amount; 0 when none won. */
  averageWin: number;
  /** Average losing trade, as a positive amount; 0 when none lost. */
  averageLoss: number;
}

/**
 * Sums up closed trades from each one's net result (after fees). A break-even
 * trade counts as a trade that did not win, and in neither average.
 * @throws RangeError when there is no trade or a result is not a finite number.
 */
export function tradeRecordStats(results: readonly number[]): TradeRecordStats {
  if (results.length === 0) throw new RangeError('a trade record needs at least one trade');
  results.forEach((r) => requireFinite('trade result', r));
  const wins = results.filter((r) => r > 0);
  const losses = results.filter((r) => r < 0).map((r) => -r);
  const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return { trades: results.length, winRate: wins.length / results.length, averageWin: mean(wins), averageLoss: mean(losses) };
}

/**
 * Full, ½ and ¼ Kelly from a trade record, under `riskCap`, as {@link kellySuggestion}.
 * The record's edge cases take the formula's limits: with no losing trade
 * (b = ∞) Kelly is the win rate; with no winning trade it is −∞, so every
 * suggestion is 0.
 * @throws RangeError on a record without trades or a risk cap that is not a finite number above zero.
 */
export function kellyFromRecord(record: TradeRecordStats, riskCap: number): KellySuggestion {
  requirePositive('risk cap', riskCap);
  if (!(record.trades > 0)) throw new RangeError('a trade record needs at least one trade');
  if (record.averageWin === 0) return suggest(Number.NEGATIVE_INFINITY, riskCap);
  if (record.averageLoss === 0) return suggest(record.winRate, riskCap);
  return suggest(kellyFraction(record), riskCap);
}
