import type { MarginBucket } from '../../../shared/margin-history';

/** The window the margin history shows. */
export type MarginWindow = '24h' | '7d';
export const WINDOW_MS: Record<MarginWindow, number> = { '24h': 24 * 60 * 60_000, '7d': 7 * 24 * 60 * 60_000 };

/**
 * SVG polyline points for one measure of the buckets in [from, to], time across `width` and the value
 * from 0 (bottom) to `max` (top) across `height`; a bucket without the measure breaks the line
 * (one point list per unbroken run). A lone point is given twice, so that its round line cap draws it as a dot.
 */
export function chartRuns(input: {
  buckets: readonly MarginBucket[];
  value: (bucket: MarginBucket) => number | null;
  from: number;
  to: number;
  max: number;
  width: number;
  height: number;
}): string[] {
  const { from, to, width, height } = input;
  const max = input.max > 0 ? input.max : 1;
  const runs: string[][] = [];
  let run: string[] | null = null;
  for (const bucket of input.buckets) {
    const v = bucket.start < from || bucket.start > to ? null : input.value(bucket);
    if (v === null) {
      run = null;
      continue;
    }
    const x = ((bucket.start - from) / (to - from)) * width;
    const y = height - (Math.min(Math.max(v, 0), max) / max) * height;
    if (!run) runs.push((run = []));
    run.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  }
  return runs.map((r) => (r.length === 1 ? [r[0], r[0]] : r).join(' '));
}
