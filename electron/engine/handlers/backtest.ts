import type { CommandHandlers } from '../../../shared/contract';
import type { BacktestJobs } from '../backtest-jobs/backtest-jobs';

/** The Backtest view's commands: start a run, cancel it. Progress and results come as `backtest` events. */
export function backtestHandlers(jobs: BacktestJobs): Pick<CommandHandlers, 'backtest.run' | 'backtest.cancel'> {
  return {
    'backtest.run': async (request) => jobs.start(request),
    'backtest.cancel': async ({ id }) => jobs.cancel(id),
  };
}
