// OWNER: breakers/flatten helper (issue 6). Placeholder until breakers and flatten land.
import type { CommandHandlers } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';

export function safetyHandlers(_ctx: EngineContext): Pick<CommandHandlers, 'flatten' | 'breaker.reset'> {
  return {
    flatten: async () => {
      throw new CommandError('refused', 'flatten is not built yet');
    },
    'breaker.reset': async () => {
      throw new CommandError('refused', 'breaker.reset is not built yet');
    },
  };
}
