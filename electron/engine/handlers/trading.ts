import type { CommandHandlers } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { checkCredentials } from '../exchange/credential-check';
import { planFigures } from '../proposals/entry-planner';
import { CommandError } from '../errors';
import type { TradingService } from '../trading-service';

/** The trading domain's commands: snapshot, chart history, proposals, positions, strategies. */
export function tradingHandlers(ctx: EngineContext, trading: TradingService): Pick<
  CommandHandlers,
  | 'session.snapshot'
  | 'market.candles'
  | 'proposal.create'
  | 'proposal.preview'
  | 'proposal.approve'
  | 'proposal.reject'
  | 'position.close'
  | 'position.reduce'
  | 'position.margin'
  | 'order.move'
  | 'credentials.test'
> {
  return {
    'session.snapshot': async () => ({ ...trading.snapshot(), dataDisk: ctx.dataDisk.status() }),
    'market.candles': async ({ symbol, timeframe, limit }) => trading.market.candles(symbol, timeframe, limit ?? 500),
    'proposal.create': async (ticket) => entryCommand(ctx, async () => trading.createManual(ticket)),
    'proposal.preview': async (ticket) => {
      const plan = await trading.proposals.preview(ticket);
      return { ...planFigures(plan), entry: plan.entry, stop: plan.stop, takeProfit: plan.takeProfit, leverage: plan.leverage, leverageChosen: plan.leverageChosen };
    },
    'proposal.approve': async ({ id }) => entryCommand(ctx, () => trading.approve(id)),
    'proposal.reject': async ({ id, reason }) => trading.proposals.reject(id, reason ?? 'Rejected by the user'),
    'position.close': async ({ symbol }) => ({ symbol, closedContracts: await trading.close(symbol, 'closed by the user') }),
    'position.reduce': async ({ symbol, fraction }) => {
      const reducedContracts = await trading.reduce(symbol, fraction, `reduced by ${fraction * 100}% by the user`);
      const position = trading.book.positionViews().find((p) => p.symbol === symbol) ?? null;
      if (reducedContracts === 0 && position) {
        throw new CommandError('refused', `${fraction * 100}% of ${position.contracts} rounds down to nothing at the market's step (${ctx.adapter.market(symbol).amountStep}): nothing was sent`);
      }
      if (!position && reducedContracts === 0) throw new CommandError('not-found', `There is no open position on ${symbol}`);
      return { symbol, reducedContracts, position };
    },
    'position.margin': async ({ symbol, direction, amount }) => ({ symbol, ...(await trading.changeMargin(symbol, direction, amount)) }),
    'order.move': async ({ symbol, purpose, price }) => trading.move(symbol, purpose, price),
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
