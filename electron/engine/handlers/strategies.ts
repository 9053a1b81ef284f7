import type { CommandHandlers, CommandInput } from '../../../shared/contract';
import type { StrategyStatus } from '../../../shared/domain';
import { STRATEGY_FILE_ID, type StrategyFileSettings } from '../../../shared/settings';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import { resolveParams } from '../strategy/strategy-definition';
import type { TradingService } from '../trading-service';

/** A strategy file's settings before the user changes any: listed, off, every watched symbol, default parameters. */
const FILE_DEFAULTS: Omit<StrategyFileSettings, 'id'> = { enabled: false, auto: false, symbols: [], params: {}, maxConcurrentPositions: 3 };

/** The strategies' commands: switch one on or off (built-in or file), and the strategies folder. */
export function strategyHandlers(ctx: EngineContext, trading: TradingService, openFolder?: (folder: string) => Promise<void>): Pick<CommandHandlers, 'strategy.set' | 'strategies.folder'> {
  return {
    'strategy.set': async (input) => (STRATEGY_FILE_ID.test(input.id) ? setFile(ctx, trading, input) : setBuiltIn(ctx, trading, input)),
    'strategies.folder': async () => {
      const folder = trading.files?.files.dir;
      if (!folder) throw new CommandError('not-found', 'This engine has no strategies folder');
      if (!openFolder) return { path: folder, opened: false };
      ctx.journal.record('strategies.folder.open', { path: folder });
      await openFolder(folder);
      return { path: folder, opened: true };
    },
  };
}

function setBuiltIn(ctx: EngineContext, trading: TradingService, { id, enabled, auto, symbols, params }: CommandInput<'strategy.set'>): StrategyStatus {
  if (symbols !== undefined || params !== undefined) throw new CommandError('invalid-input', `${id} is a built-in strategy: set its symbols and parameters in the settings`);
  const settings = ctx.settings();
  const index = settings.strategies.findIndex((s) => s.id === id);
  if (index < 0) throw new CommandError('not-found', `No strategy ${id}`);
  const strategies = settings.strategies.map((s, i) => (i === index ? { ...s, ...(enabled !== undefined ? { enabled } : {}), ...(auto !== undefined ? { auto } : {}) } : s));
  ctx.journal.record('strategy.set', { id, enabled, auto });
  ctx.updateSettings({ ...settings, strategies });
  const status = trading.strategies().find((s) => s.id === id);
  if (!status) throw new CommandError('internal', `Strategy ${id} did not restart`);
  return status;
}

function setFile(ctx: EngineContext, trading: TradingService, { id, enabled, auto, symbols, params }: CommandInput<'strategy.set'>): StrategyStatus {
  const view = trading.files?.views().find((v) => v.id === id);
  if (!view) throw new CommandError('not-found', `No strategy file ${id.slice('file:'.length)} in the strategies folder`);
  if (params !== undefined) {
    if (view.label === null) throw new CommandError('refused', `${view.file} has not loaded, so its parameters are not known: ${view.error ?? ''}`);
    const resolved = resolveParams(view.params, params);
    if ('errors' in resolved) {
      const fields = Object.fromEntries(Object.entries(resolved.errors).map(([name, why]) => [`params.${name}`, `${name} ${why}`]));
      throw new CommandError('invalid-input', `Parameters of ${view.file} rejected: ${Object.values(fields).join('; ')}`, { fields });
    }
  }
  const unwatched = (symbols ?? []).filter((s) => !ctx.settings().symbols.includes(s));
  if (unwatched.length) throw new CommandError('invalid-input', `Not a watched symbol: ${unwatched.join(', ')}`, { fields: { symbols: 'only watched symbols' } });
  const settings = ctx.settings();
  const current = settings.strategyFiles.find((s) => s.id === id) ?? { id, ...FILE_DEFAULTS };
  const next: StrategyFileSettings = {
    ...current,
    ...(enabled !== undefined ? { enabled } : {}),
    ...(auto !== undefined ? { auto } : {}),
    ...(symbols !== undefined ? { symbols } : {}),
    ...(params !== undefined ? { params } : {}),
  };
  ctx.journal.record('strategy.set', { id, enabled, auto, symbols, params });
  ctx.updateSettings({ ...settings, strategyFiles: [...settings.strategyFiles.filter((s) => s.id !== id), next] });
  const running = trading.strategies().find((s) => s.id === id);
  return running ?? { id, label: view.label ?? view.file, enabled: next.enabled, auto: next.auto, running: false, haltedReason: null, lastError: view.error };
}
