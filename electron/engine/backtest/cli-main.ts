import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { errorMessage } from '../../../shared/error-message';
import { runBacktest } from './backtest';
import { parseBacktestArgs, USAGE, type BacktestCommand } from './cli-args';
import { loadDataset } from './dataset';
import { backtestLine, summaryTable, writeOutputs } from './report';
import { applyAssignments, maxConcurrentOf, strategyOf } from './run-setup';
import { runSweep, sweepGrid, sweepLine } from './sweep';

/** Where the command writes: stdout for the result lines, stderr for the table, progress and errors. */
export interface CliOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

async function execute(command: BacktestCommand, io: CliOutput): Promise<void> {
  const setup = applyAssignments(DEFAULT_SETTINGS, command.strategy, command.strategyFile, command.timeframe, command.set);
  const strategy = await strategyOf(setup.strategy);
  const timeframe = command.timeframe ?? strategy.timeframe;
  if (command.download) {
    const { downloadHistory } = await import('./download');
    await downloadHistory({ exchange: command.exchange!, url: command.exchangeUrl, datadir: command.datadir!, pairs: command.pairs, timeframe, from: command.from!, to: command.to!, progress: io.stderr });
  }
  const data = loadDataset(command, timeframe);
  const options = { data, balance: command.balance, seed: command.seed, ...(command.from !== null ? { from: command.from } : {}), ...(command.to !== null ? { to: command.to } : {}) };
  if (command.sweep.length) {
    const setups = sweepGrid(command.sweep).map((combo) => ({
      params: Object.fromEntries(combo),
      setup: applyAssignments(DEFAULT_SETTINGS, command.strategy, command.strategyFile, command.timeframe, [...command.set, ...combo]),
    }));
    io.stderr.write(`backtest: sweeping ${setups.length} combinations\n`);
    const rows = await runSweep(setups, options, command.workers, command.sort);
    for (const row of rows) io.stdout.write(`${sweepLine(row)}\n`);
    if (command.out) {
      mkdirSync(command.out, { recursive: true });
      writeFileSync(path.join(command.out, 'sweep.json'), `${JSON.stringify(rows.map((r) => ({ params: r.params, ...r.summary })), null, 2)}\n`);
    }
    return;
  }
  const result = runBacktest({ ...options, strategy, settings: setup.settings, maxConcurrentPositions: maxConcurrentOf(setup.strategy) });
  io.stderr.write(`${summaryTable(result)}\n`);
  if (command.out) await writeOutputs(command.out, result);
  io.stdout.write(`${backtestLine(result.summary, result.timing)}\n`);
}

/**
 * `npm run backtest -- …` (see USAGE and the README's Backtest section). Returns
 * the exit code: 0 done, 1 the run failed, 2 the command is wrong. Errors are
 * one clear line on stderr, never a stack trace.
 */
export async function runCli(argv: readonly string[], io: CliOutput): Promise<number> {
  let command: BacktestCommand;
  try {
    command = parseBacktestArgs(argv);
  } catch (error) {
    io.stderr.write(`backtest: ${errorMessage(error)}\n${USAGE}\n`);
    return 2;
  }
  try {
    await execute(command, io);
    return 0;
  } catch (error) {
    io.stderr.write(`backtest: ${errorMessage(error)}\n`);
    return 1;
  }
}
