import type { MarginBucket, MarginCallEvent, MarginHistoryView, MarginHistoryWindow } from '../../../shared/margin-history';

/** Samples fall in buckets this long: 7 days are at most 2,016 buckets. */
export const MARGIN_BUCKET_MS = 5 * 60_000;
/** How long buckets and events are kept. */
export const MARGIN_HISTORY_MS = 7 * 24 * 60 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
/** At most this many margin calls are kept, the newest. */
export const MAX_MARGIN_EVENTS = 1_000;
/** A margin ratio past all margin (infinite) is kept as this, in percent. */
export const MARGIN_RATIO_CEILING_PCT = 1_000;

/** One sample: the account's margin ratio (a fraction, as AccountState has it) and each position's distance to liquidation. */
export interface MarginSample {
  time: number;
  marginRatio: number | null;
  positions: readonly { symbol: string; distanceToLiquidationPct: number | null }[];
}

/** What is kept on disk. */
export interface MarginHistoryState {
  buckets: MarginBucket[];
  events: MarginCallEvent[];
}

const worse = (a: number | null, b: number | null, worst: (x: number, y: number) => number) => (a === null ? b : b === null ? a : worst(a, b));

/**
 * The margin history of one account at a bounded resolution: every sample lands in its
 * {@link MARGIN_BUCKET_MS} bucket, which keeps the worst and last values; buckets and events older than
 * {@link MARGIN_HISTORY_MS} are dropped, so it never holds more than 7 days' buckets and
 * {@link MAX_MARGIN_EVENTS} events however often it is sampled.
 */
export class MarginHistory {
  private buckets: MarginBucket[];
  private events: MarginCallEvent[];

  constructor(state: MarginHistoryState = { buckets: [], events: [] }) {
    this.buckets = [...state.buckets].sort((a, b) => a.start - b.start);
    this.events = [...state.events].sort((a, b) => a.time - b.time).slice(-MAX_MARGIN_EVENTS);
  }

  /** Takes one sample; returns true when it opened a new bucket (the moment to persist the ones before). */
  sample(sample: MarginSample): boolean {
    const start = Math.floor(sample.time / MARGIN_BUCKET_MS) * MARGIN_BUCKET_MS;
    let bucket = this.buckets.at(-1);
    const opened = !bucket || bucket.start < start;
    if (bucket && bucket.start > start) return false;
    if (!bucket || opened) {
      bucket = { start, worstMarginRatioPct: null, lastMarginRatioPct: null, worstDistancePct: null, worstDistanceSymbol: null, distances: {} };
      this.buckets.push(bucket);
      this.prune(sample.time);
    }
    const ratio = sample.marginRatio === null || Number.isNaN(sample.marginRatio) ? null : Math.min(sample.marginRatio * 100, MARGIN_RATIO_CEILING_PCT);
    bucket.lastMarginRatioPct = ratio;
    bucket.worstMarginRatioPct = worse(bucket.worstMarginRatioPct, ratio, Math.max);
    for (const { symbol, distanceToLiquidationPct: distance } of sample.positions) {
      if (distance === null || !Number.isFinite(distance)) continue;
      bucket.distances[symbol] = Math.min(bucket.distances[symbol] ?? distance, distance);
      if (bucket.worstDistancePct === null || distance < bucket.worstDistancePct) {
        bucket.worstDistancePct = distance;
        bucket.worstDistanceSymbol = symbol;
      }
    }
    return opened;
  }

  /** Records a margin call. */
  record(event: MarginCallEvent): void {
    this.events.push(event);
    this.prune(event.time);
  }

  /** The last 7 days' buckets and events, with the worst values and the margin calls of the last 24 h and 7 d. */
  view(now: number): MarginHistoryView {
    const since = now - MARGIN_HISTORY_MS;
    const buckets = this.buckets.filter((b) => b.start + MARGIN_BUCKET_MS > since).map((b) => ({ ...b, distances: { ...b.distances } }));
    const events = this.events.filter((e) => e.time >= since).map((e) => ({ ...e }));
    return { bucketMs: MARGIN_BUCKET_MS, buckets, events, day: summarize(buckets, events, now - DAY_MS), week: summarize(buckets, events, since) };
  }

  /** What to keep on disk. */
  state(): MarginHistoryState {
    return { buckets: this.buckets, events: this.events };
  }

  private prune(now: number): void {
    const since = now - MARGIN_HISTORY_MS;
    const firstKept = this.buckets.findIndex((b) => b.start + MARGIN_BUCKET_MS > since);
    if (firstKept !== 0) this.buckets.splice(0, firstKept < 0 ? this.buckets.length : firstKept);
    this.events = this.events.filter((e) => e.time >= since).slice(-MAX_MARGIN_EVENTS);
  }
}

function summarize(buckets: readonly MarginBucket[], events: readonly MarginCallEvent[], from: number): MarginHistoryWindow {
  const window: MarginHistoryWindow = { from, worstMarginRatioPct: null, worstMarginRatioAt: null, worstDistancePct: null, worstDistanceSymbol: null, worstDistanceAt: null, warnings: 0, cuts: 0 };
  for (const b of buckets) {
    if (b.start + MARGIN_BUCKET_MS <= from) continue;
    if (b.worstMarginRatioPct !== null && (window.worstMarginRatioPct === null || b.worstMarginRatioPct > window.worstMarginRatioPct)) {
      window.worstMarginRatioPct = b.worstMarginRatioPct;
      window.worstMarginRatioAt = b.start;
    }
    if (b.worstDistancePct !== null && (window.worstDistancePct === null || b.worstDistancePct < window.worstDistancePct)) {
      window.worstDistancePct = b.worstDistancePct;
      window.worstDistanceSymbol = b.worstDistanceSymbol;
      window.worstDistanceAt = b.start;
    }
  }
  for (const e of events) {
    if (e.time < from) continue;
    if (e.kind === 'warning') window.warnings++;
    else window.cuts++;
  }
  return window;
}
