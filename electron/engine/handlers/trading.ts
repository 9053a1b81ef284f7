import type { CommandHandlers } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import { checkCredentials } from '../exchange/credential-check';
import { planFigures } from '../proposals/entry-planner';
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
  | 'order.move'
  | 'strategy.set'
  | 'credentials.test'
> {
  return {
    'session.snapshot': async () => trading.snapshot(),
    'market.candles': async ({ symbol, timeframe, limit }) => trading.market.candles(symbol, timeframe, limit ?? 500),
    'proposal.create': async (ticket) => trading.createManual(ticket),
    'proposal.preview': async (ticket) => {
      const plan = await trading.proposals.preview(ticket);
      return { ...planFigures(plan), entry: plan.entry, stop: plan.stop, takeProfit: plan.takeProfit, leverage: plan.leverage, leverageChosen: plan.leverageChosen };
    },
    'proposal.approve': async ({ id }) => trading.approve(id),
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
