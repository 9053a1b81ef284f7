import type { CommandHandlers, CommandInput, ModeStatus } from '../../../shared/contract';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import type { ModeChoice } from '../mode-host';

/** Why headless answers `mode.set` with a refusal. */
export const HEADLESS_MODE_REASON =
  'Headless chooses its mode when it starts: paper by default, live with npm run headless -- --exchange <id> (and --testnet, --demo or --exchange-url). Restart it with the flags you want.';

function refuse(code: string, message: string, field: 'mode' | 'confirmation' = 'mode'): never {
  throw new CommandError('refused', message, { code, fields: { [field]: message } });
}

/**
 * The trading-mode switch. The engine checks and journals the choice; the
 * host (Electron) persists it and restarts into it. Live needs stored keys and
 * their exchange id typed as confirmation; leaving live needs a flat account,
 * because the cockpit would stop watching what stays open.
 */
export function modeHandlers(ctx: EngineContext): Pick<CommandHandlers, 'mode.set' | 'mode.status'> {
  const status = (): ModeStatus => {
    const current = ctx.adapter.mode;
    const currentExchange = current === 'live' ? ctx.adapter.id : null;
    if (!ctx.host) {
      return { current, currentExchange, next: current, exchange: currentExchange, testnet: false, demo: false, restartRequired: false, locked: HEADLESS_MODE_REASON };
    }
    const next = ctx.host.nextMode();
    return {
      current,
      currentExchange,
      next: next.mode,
      exchange: next.mode === 'live' ? next.exchange : null,
      testnet: next.mode === 'live' ? next.testnet : false,
      demo: next.mode === 'live' ? next.demo : false,
      restartRequired: !isCurrentAccount(next),
      locked: ctx.host.lockedReason(),
    };
  };

  const choose = ({ mode, confirmation }: CommandInput<'mode.set'>): ModeChoice => {
    if (mode === 'paper') return { mode: 'paper' };
    const keys = ctx.vault.status();
    if (!keys.stored || keys.exchange === null) {
      refuse('no-credentials', 'Live trading needs exchange keys: store them above first.');
    }
    if (confirmation.trim() !== keys.exchange) {
      refuse('confirmation-mismatch', `To trade with real money, type the exchange id "${keys.exchange}" exactly.`, 'confirmation');
    }
    return { mode: 'live', exchange: keys.exchange, testnet: keys.testnet, demo: keys.demo, ...(keys.fingerprint ? { fingerprint: keys.fingerprint } : {}) };
  };

  /** Any other account (paper, live, another exchange, real ↔ demo ↔ testnet, another key) while positions are open here is refused. */
  const refuseLeavingOpenPositions = (choice: ModeChoice): void => {
    if (isCurrentAccount(choice)) return;
    const open = ctx.account.exchangePositions().map((p) => p.symbol);
    if (open.length === 0) return;
    const where = ctx.adapter.mode === 'live' ? `${ctx.adapter.id}${ctx.adapter.practice ? ` (${ctx.adapter.practice})` : ''}` : 'the paper account';
    refuse(
      'positions-open',
      `${open.length} position${open.length === 1 ? ' is' : 's are'} open on ${where} (${open.join(', ')}). Switching to another account would stop the cockpit watching ${open.length === 1 ? 'it' : 'them'}: close or flatten first.`,
    );
  };

  function isCurrentAccount(choice: ModeChoice): boolean {
    if (choice.mode !== ctx.adapter.mode) return false;
    if (choice.mode === 'paper') return true;
    const sameKey = choice.fingerprint === undefined || choice.fingerprint === ctx.adapter.keyFingerprint;
    return choice.exchange === ctx.adapter.id && practiceOfChoice(choice) === ctx.adapter.practice && sameKey;
  }

  return {
    'mode.status': async () => status(),
    'mode.set': async (input) => {
      const host = ctx.host;
      if (!host) throw new CommandError('refused', HEADLESS_MODE_REASON, { code: 'headless', fields: { mode: HEADLESS_MODE_REASON } });
      const locked = host.lockedReason();
      if (locked) refuse('mode-locked', locked);
      const choice = choose(input);
      refuseLeavingOpenPositions(choice);
      const from = status();
      ctx.journal.record('mode.set', { from: { current: from.current, next: from.next, exchange: from.exchange }, to: choice });
      host.setMode(choice);
      const after = status();
      if (after.restartRequired) {
        ctx.journal.record('mode.restart', { into: choice });
        host.restart();
      }
      return after;
    },
  };
}

/** The practice account a live choice is for, in the adapter's terms. */
function practiceOfChoice(choice: Extract<ModeChoice, { mode: 'live' }>): 'testnet' | 'demo' | undefined {
  return choice.testnet ? 'testnet' : choice.demo ? 'demo' : undefined;
}
