import os from 'node:os';
import type { Assignment, BacktestCommand } from './cli-args';
import { lineFigures } from './report';
import type { RunSetup } from './run-setup';
import type { BacktestSummary } from './types';
import { runInWorker, type WorkerJob } from './worker-job';

/** One combination of a sweep and what it gave. */
export interface SweepRow {
  params: Record<string, number | string | boolean>;
  figures: Record<string, number>;
  summary: BacktestSummary;
}

/** Every combination of the swept values, in the order given (the last key varies fastest). */
export function sweepGrid(sweep: BacktestCommand['sweep']): Assignment[][] {
  return sweep.reduce<Assignment[][]>((grid, [key, values]) => grid.flatMap((combo) => values.map((value) => [...combo, [key, value] as Assignment])), [[]]);
}

/** Figures a sweep can be sorted by: those of the stdout line and the summary's. */
export function sortFigure(row: SweepRow, figure: string): number {
  const value = row.figures[figure] ?? (row.summary as unknown as Record<string, unknown>)[figure];
  if (typeof value !== 'number') {
    throw new Error(`--sort ${figure}: not a figure; use one of ${[...Object.keys(row.figures), ...Object.keys(row.summary).filter((k) => typeof (row.summary as unknown as Record<string, unknown>)[k] === 'number')].join(', ')}`);
  }
  return value;
}

/** Figures where less is better sort ascending; the rest descending. */
const LOWER_IS_BETTER = new Set(['max_drawdown_pct', 'maxDrawdownPct', 'fees', 'liquidations', 'longestLosingStreak', 'wall_ms']);

/**
 * Runs each combination in a worker thread, `workers` at a time, and returns one
 * row per combination sorted by `figure` (best first). Each row is as
 * deterministic as a single run.
 */
export async function runSweep(setups: { params: Record<string, number | string | boolean>; setup: RunSetup }[], options: WorkerJob['options'], workers: number | null, figure: string): Promise<SweepRow[]> {
  const rows: SweepRow[] = new Array(setups.length);
  let next = 0;
  const lane = async () => {
    while (next < setups.length) {
      const index = next++;
      const { params, setup } = setups[index]!;
      const result = await runInWorker({ setup, options }).result;
      rows[index] = { params, figures: lineFigures(result.summary, result.timing), summary: result.summary };
    }
  };
  const lanes = Math.max(1, Math.min(workers ?? os.availableParallelism(), setups.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  const sign = LOWER_IS_BETTER.has(figure) ? 1 : -1;
  return rows.slice().sort((a, b) => sign * (sortFigure(a, figure) - sortFigure(b, figure)));
}

/** One line per row: `sweep: key=value … return_pct=… …`. */
export function sweepLine(row: SweepRow): string {
  const params = Object.entries(row.params).map(([k, v]) => `${k}=${v}`);
  const figures = Object.entries(row.figures).filter(([k]) => k !== 'wall_ms' && k !== 'candles_per_s').map(([k, v]) => `${k}=${v}`);
  return `sweep: ${[...params, ...figures].join(' ')}`;
}
