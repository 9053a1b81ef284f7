import type { CommandHandlers } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import { unlistedSymbolsProblem } from '../listed-symbols';
import { validateSettings } from '../settings-store';

export function sessionHandlers(ctx: EngineContext): Pick<
  CommandHandlers,
  'engine.ping' | 'settings.get' | 'settings.update' | 'journal.tail' | 'journal.export' | 'credentials.set' | 'credentials.status' | 'credentials.clear'
> {
  return {
    'engine.ping': async ({ nonce }) => ({ nonce, serverTime: ctx.now() }),
    'settings.get': async () => ctx.settings(),
    'settings.update': async ({ settings }) => {
      const valid = validateSettings(settings);
      const unlisted = unlistedSymbolsProblem(valid.symbols, { exchange: ctx.adapter.id, listed: ctx.listedSymbols(), current: ctx.settings().symbols });
      if (unlisted) throw new CommandError('invalid-input', 'Settings rejected', { fields: { symbols: unlisted } });
      ctx.journal.record('settings.update', valid);
      ctx.updateSettings(valid);
      return valid;
    },
    'journal.tail': async ({ limit, filter }) => ctx.journal.tail(limit ?? 200, filter),
    'journal.export': async () => ({ fileName: `cockpit-journal-${new Date(ctx.now()).toISOString().slice(0, 10)}.jsonl`, content: await ctx.journal.export() }),
    'credentials.set': async (input) => {
      const status = ctx.vault.set(input);
      ctx.journal.record('credentials.set', { exchange: input.exchange, maskedKey: status.maskedKey, testnet: input.testnet, demo: input.demo });
      return status;
    },
    'credentials.status': async () => ctx.vault.status(),
    'credentials.clear': async () => {
      ctx.journal.record('credentials.clear', {});
      return ctx.vault.clear();
    },
  };
}
