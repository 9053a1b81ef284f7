import type { CommandHandlers } from '../../../shared/contract';
import type { DrillService } from '../drills/drill-service';

/** Crash drills (paper mode): list, start, stop. Live mode refuses with the reason. */
export function drillHandlers(drills: DrillService): Pick<CommandHandlers, 'drill.list' | 'drill.start' | 'drill.stop'> {
  return {
    'drill.list': async () => drills.catalog(),
    'drill.start': async ({ id }) => drills.start(id),
    'drill.stop': async () => drills.stop(),
  };
}
