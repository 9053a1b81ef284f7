/**
 * The margin history (the margin analyzer): the account's margin ratio and each position's distance
 * to liquidation, sampled on every mark update and kept in buckets of {@link MarginHistoryView.bucketMs},
 * with the margin-call events (margin-ratio warnings and the cuts the breaker made).
 */

/** One bucket of samples: the worst and the last values seen in it. */
export interface MarginBucket {
  /** Start of the bucket (epoch ms). */
  start: number;
  /** Highest account margin ratio seen, in percent (maintenance margin / margin balance); null when none was known. */
  worstMarginRatioPct: number | null;
  lastMarginRatioPct: number | null;
  /** Smallest distance to liquidation of any position, in percent of mark, and whose it was. */
  worstDistancePct: number | null;
  worstDistanceSymbol: string | null;
  /** Each position's smallest distance to liquidation in the bucket, by symbol. */
  distances: Record<string, number>;
}

/** A margin call: the margin-ratio breaker's warning, or a cut it made. */
export interface MarginCallEvent {
  time: number;
  kind: 'warning' | 'cut';
  /** The cut position, for a cut. */
  symbol: string | null;
  detail: string;
}

/** The worst values and the margin calls of one window (the last 24 h, the last 7 d). */
export interface MarginHistoryWindow {
  from: number;
  worstMarginRatioPct: number | null;
  worstMarginRatioAt: number | null;
  worstDistancePct: number | null;
  worstDistanceSymbol: string | null;
  worstDistanceAt: number | null;
  warnings: number;
  cuts: number;
}

/** What `margin.history` returns. */
export interface MarginHistoryView {
  bucketMs: number;
  /** The buckets of the last 7 days, oldest first (only those with samples). */
  buckets: MarginBucket[];
  /** The margin calls of the last 7 days, oldest first. */
  events: MarginCallEvent[];
  day: MarginHistoryWindow;
  week: MarginHistoryWindow;
}
