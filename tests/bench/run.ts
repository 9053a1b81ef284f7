/**
 * `npm run bench`: prints one line per benchmark.
 *
 *   tick_to_paint: p50_ms=A p99_ms=B frames_late_pct=L engine_to_update_p99_ms=E   (targets L <= 1, E <= 3)
 *   flatten: positions=10 rtt_ms=50 wall_ms=W ratio=R   (target R <= 3)
 *   journal_export: bytes=B wall_ms=W max_event_loop_block_ms=M   (target M < 50)
 *   backtest_bench: candles=2000000 wall_ms=W candles_per_s=R floor_ratio=Q   (targets R >= 1,000,000, Q <= 3)
 *   breaker_reaction: p50_ms=A p99_ms=B samples=N        (and margin_cut_reaction, drawdown_flatten_reaction; target p99 < 100)
 *
 * Details of each run go to stderr.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { backtestBenchLine, benchBacktest } from './backtest';
import { benchBreakerReactions } from './breaker-reaction';
import { benchFlatten, flattenLine } from './flatten';
import { benchJournalExport, journalExportLine } from './journal-export';

async function main(): Promise<void> {
  let failed = false;
  // First: it times single milliseconds of an engine running in this process, which the export's
  // 200 MB of garbage, still being collected after it, would otherwise add to.
  const tickToPaint = path.join(import.meta.dirname, 'tick-to-paint.ts');
  if (fs.existsSync(tickToPaint)) {
    try {
      const module = (await import(pathToFileURL(tickToPaint).href)) as { benchTickToPaint?: () => Promise<string> };
      if (typeof module.benchTickToPaint !== 'function') throw new Error('tick-to-paint.ts exports no benchTickToPaint()');
      process.stdout.write(`${await module.benchTickToPaint()}\n`);
    } catch (error) {
      failed = true;
      process.stderr.write(`bench: tick_to_paint failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
  }
  try {
    const result = await benchFlatten();
    process.stdout.write(`${flattenLine(result)}\n`);
    process.stderr.write(
      `bench: flatten runs ${result.runsMs.map((ms) => Math.round(ms)).join(', ')} ms (median taken; warm-up ${Math.round(result.warmUpMs)} ms not counted); target ratio <= 3\n`,
    );
  } catch (error) {
    failed = true;
    process.stderr.write(`bench: flatten failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }

  try {
    const result = await benchJournalExport();
    process.stdout.write(`${journalExportLine(result)}\n`);
    process.stderr.write(
      `bench: journal_export event-loop delay p99 ${result.p99BlockMs.toFixed(1)} ms; longest step between two turns of the loop ${result.maxStepCpuMs.toFixed(1)} ms of CPU (the delay's max also counts time a loaded machine does not run the process); target max < 50\n`,
    );
  } catch (error) {
    failed = true;
    process.stderr.write(`bench: journal_export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }

  try {
    const result = benchBacktest();
    process.stdout.write(`${backtestBenchLine(result)}\n`);
    process.stderr.write(
      `bench: backtest ${result.trades} trades; floor (SMA, RSI, ATR from trading-signals alone) ${Math.round(result.floorMs)} ms; targets candles_per_s >= 1000000, floor_ratio <= 3\n`,
    );
  } catch (error) {
    failed = true;
    process.stderr.write(`bench: backtest failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  try {
    for (const line of await benchBreakerReactions()) process.stdout.write(`${line}\n`);
  } catch (error) {
    failed = true;
    process.stderr.write(`bench: breaker reactions failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(failed ? 1 : 0);
}

void main();
