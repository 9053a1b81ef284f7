// OWNER: engine helper (issue 5). Placeholder until the trading domain lands.
import type { CommandHandlers } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';

const notYet = (what: string) => async (): Promise<never> => {
  throw new CommandError('refused', `${what} is not built yet`);
};

export function tradingHandlers(_ctx: EngineContext): Pick<
  CommandHandlers,
  | 'session.snapshot'
  | 'market.candles'
  | 'proposal.create'
  | 'proposal.approve'
  | 'proposal.reject'
  | 'position.close'
  | 'order.move'
  | 'strategy.set'
  | 'credentials.test'
> {
  return {
    'session.snapshot': notYet('session.snapshot'),
    'market.candles': notYet('market.candles'),
    'proposal.create': notYet('proposal.create'),
    'proposal.approve': notYet('proposal.approve'),
    'proposal.reject': notYet('proposal.reject'),
    'position.close': notYet('position.close'),
    'order.move': notYet('order.move'),
    'strategy.set': notYet('strategy.set'),
    'credentials.test': notYet('credentials.test'),
  };
}
