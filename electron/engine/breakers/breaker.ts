import type { BreakerAction, BreakerView } from '../../../shared/domain';
import type { PositionExposure } from '../../../shared/risk/account-exposure';
import type { Settings } from '../../../shared/settings';
import type { EntryRequest } from '../entry-gates';

export type BreakerId =
  | 'daily-loss'
  | 'weekly-loss'
  | 'consecutive-losses'
  | 'drawdown'
  | 'total-exposure'
  | 'position-exposure'
  | 'leverage'
  | 'margin-ratio'
  | 'liquidation-distance'
  | 'volatility'
  | 'volatility-flatten';

/** One open position, as the breakers see it at the latest mark price. */
export type { PositionExposure };

/** A trade someone wants to open: a proposal being created or approved (the engine's entry-gate input). */
export type EntryIntent = EntryRequest;

/** Everything a breaker may look at. Plain data: breakers are pure functions of it. */
export interface BreakerSnapshot {
  now: number;
  /** Wallet balance plus unrealised PnL; null until the account is known. */
  equity: number | null;
  dayStartEquity: number | null;
  weekStartEquity: number | null;
  peakEquity: number | null;
  /** Losing trades in a row, and when the last of them closed. */
  lossStreak: { count: number; lastLossAt: number | null };
  /** Cross account: maintenance margin ÷ margin balance, in percent. */
  accountMarginRatioPct: number | null;
  positions: PositionExposure[];
  /** Annualised realised volatility per symbol, in percent, where enough prices are known. */
  volatilityPct: Record<string, number>;
  /** Set when judging an entry: the verdict is then about the account with this entry added. */
  entry: EntryIntent | null;
}

/**
 * What a breaker concludes. `action: 'none'` means nothing to do; anything else trips it.
 * `value` sits next to `threshold` in the same unit.
 */
export interface BreakerVerdict {
  action: BreakerAction;
  reason: string | null;
  value: number | null;
  threshold: number;
  /** On a trip: when it re-arms by itself, or null when only a user reset re-arms it. */
  until?: number | null;
  /** Past a warning level without tripping. */
  warning?: boolean;
  /** The positions a `reduce` or `close` applies to. */
  symbols?: string[];
  /** Share of each position to cut, for `reduce`. */
  fraction?: number;
}

/** What a re-arm re-bases, so that the re-armed breaker measures from the moment it re-armed. */
export type ResetRebase = 'day' | 'week' | 'peak' | 'streak';

/**
 * One circuit breaker. It only judges: {@link evaluate} returns a verdict and
 * never acts. The {@link BreakerManager} applies verdicts, journals and persists.
 *
 * - `latch` breakers hold a trip until a time (`until`) or until a user reset (`until: null`).
 * - `gate` breakers hold nothing: they judge each entry, and the account as it is now.
 */
export interface Breaker {
  readonly id: BreakerId;
  readonly label: string;
  /** What a trip does. */
  readonly action: BreakerAction;
  readonly unit: BreakerView['unit'];
  readonly kind: 'latch' | 'gate';
  /** What a user reset re-bases. */
  readonly rebaseOnReset?: ResetRebase;
  /**
   * Whether a trip also stops the strategies (beyond what its action does) until it re-arms or the user
   * resumes them: the daily and weekly loss limits, by a setting. A `flatten` trip always stops them.
   */
  haltsStrategies?(settings: Settings): boolean;
  /** What re-arming by itself, when its time comes, re-bases (the loss streak after its cooldown). */
  readonly rebaseOnRearm?: ResetRebase;
  threshold(settings: Settings): number;
  /** False when the settings switch the breaker off (it then never trips); always on when absent. */
  enabled?(settings: Settings): boolean;
  evaluate(snapshot: BreakerSnapshot, settings: Settings): BreakerVerdict;
}

export const armed = (value: number | null, threshold: number, warning = false): BreakerVerdict => ({
  action: 'none',
  reason: null,
  value,
  threshold,
  ...(warning ? { warning } : {}),
});

export const percentOf = (part: number, whole: number): number => (part / whole) * 100;

export const formatNumber = (n: number, digits = 2): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
