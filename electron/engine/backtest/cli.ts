import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { errorMessage } from '../../../shared/error-message';
import { runBacktest } from './backtest';
import { parseBacktestArgs, USAGE } from './cli-args';
import { loadDataset } from './dataset';
import { downloadHistory } from './download';
import { backtestLine, summaryTable, writeOutputs } from './report';
import { applyAssignments, maxConcurrentOf, strategyOf } from './run-setup';
import { runSweep, sweepGrid, sweepLine } from './sweep';

/** `npm run backtest -- …`: see USAGE and the README's Backtest section. */
async function main(argv: string[]): Promise<void> {
  let command;
  try {
    command = parseBacktestArgs(argv);
  } catch (error) {
    process.stderr.write(`backtest: ${errorMessage(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const setup = applyAssignments(DEFAULT_SETTINGS, command.strategy, command.strategyFile, command.timeframe, command.set);
  const strategy = await strategyOf(setup.strategy);
  const timeframe = command.timeframe ?? strategy.timeframe;
  if (command.download) await downloadHistory({ exchange: command.exchange!, url: command.exchangeUrl, datadir: command.datadir!, pairs: command.pairs, timeframe, from: command.from!, to: command.to!, progress: process.stderr });
  const data = loadDataset(command, timeframe);
  const options = { data, balance: command.balance, seed: command.seed, ...(command.from !== null ? { from: command.from } : {}), ...(command.to !== null ? { to: command.to } : {}) };
  if (command.sweep.length) {
    const setups = sweepGrid(command.sweep).map((combo) => ({
      params: Object.fromEntries(combo),
      setup: applyAssignments(DEFAULT_SETTINGS, command.strategy, command.strategyFile, command.timeframe, [...command.set, ...combo]),
    }));
    process.stderr.write(`backtest: sweeping ${setups.length} combinations\n`);
    const rows = await runSweep(setups, options, command.workers, command.sort);
    for (const row of rows) process.stdout.write(`${sweepLine(row)}\n`);
    if (command.out) {
      const { mkdirSync, writeFileSync } = await import('node:fs');
      mkdirSync(command.out, { recursive: true });
      writeFileSync(`${command.out}/sweep.json`, `${JSON.stringify(rows.map((r) => ({ params: r.params, ...r.summary })), null, 2)}\n`);
    }
    return;
  }
  const result = runBacktest({ ...options, strategy, settings: setup.settings, maxConcurrentPositions: maxConcurrentOf(setup.strategy) });
  process.stderr.write(`${summaryTable(result)}\n`);
  if (command.out) await writeOutputs(command.out, result);
  process.stdout.write(`${backtestLine(result.summary, result.timing)}\n`);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`backtest: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
