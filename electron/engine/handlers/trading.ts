import type { CommandHandlers } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import { checkCredentials } from '../exchange/credential-check';
import type { TradingService } from '../trading-service';

/** The trading domain's commands: snapshot, chart history, proposals, positions, strategies. */
export function tradingHandlers(ctx: EngineContext, trading: TradingService): Pick<
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
    'session.snapshot': async () => ({ ...trading.snapshot(), dataDisk: ctx.dataDisk.status() }),
    'market.candles': async ({ symbol, timeframe, limit }) => trading.market.candles(symbol, timeframe, limit ?? 500),
    'proposal.create': async (ticket) => entryCommand(ctx, async () => trading.createManual(ticket)),
    'proposal.approve': async ({ id }) => entryCommand(ctx, () => trading.approve(id)),
    'proposal.reject': async ({ id, reason }) => trading.proposals.reject(id, reason ?? 'Rejected by the user'),
    'position.close': async ({ symbol }) => ({ symbol, closedContracts: await trading.close(symbol, 'closed by the user') }),
    'order.move': async ({ symbol, purpose, price }) => trading.move(symbol, purpose, price),
    'strategy.set': async ({ id, enabled, auto }) => {
      const settings = ctx.settings();
      const index = settings.strategies.findIndex((s) => s.id === id);
      if (index < 0) throw new CommandError('not-found', `No strategy ${id}`);
      const strategies = settings.strategies.map((s, i) => (i === index ? { ...s, ...(enabled !== undefined ? { enabled } : {}), ...(auto !== undefined ? { auto } : {}) } : s));
      ctx.journal.record('strategy.set', { id, enabled, auto });
      ctx.updateSettings({ ...settings, strategies });
      const status = trading.strategies().find((s) => s.id === id);
      if (!status) throw new CommandError('internal', `Strategy ${id} did not restart`);
      return status;
    },
    'credentials.test': async () => {
      const credentials = ctx.vault.read();
      if (!credentials) return { ok: false, message: 'No keys are stored: enter them above first.' };
      return checkCredentials(credentials, ctx.exchangeUrl !== undefined ? { exchangeUrl: ctx.exchangeUrl } : {});
    },
  };
}

/**
 * A new entry is journalled before it is sent: while the data folder cannot be written (known before,
 * or found by this very command's journal entry), it is refused with the cause.
 */
async function entryCommand<T>(ctx: EngineContext, command: () => Promise<T>): Promise<T> {
  refuseWhileDiskUnwritable(ctx);
  try {
    return await command();
  } catch (error) {
    if (!(error instanceof CommandError)) refuseWhileDiskUnwritable(ctx);
    throw error;
  }
}

function refuseWhileDiskUnwritable(ctx: EngineContext): void {
  const status = ctx.dataDisk.status();
  if (status.writable) return;
  throw new CommandError('refused', `${status.message}: new entries are refused until it can be written again. Closes, stop moves and the flatten still work.`, { code: 'data-disk' });
}
