/**
 * The Electron IPC channel names and command list, kept free of runtime
 * dependencies so the sandboxed preload can import them without zod.
 * `shared/contract.ts` re-exports these and checks the list is complete.
 */
import type { CommandName, EventName } from './contract';

/** IPC channel names, one place. */
export const IPC = {
  invoke: (command: CommandName) => `cockpit:invoke:${command}`,
  event: 'cockpit:event',
} as const;

/** Every command the renderer may send; contract.ts proves it matches `commandInputs`. */
export const COMMAND_NAMES = [
  'engine.ping',
  'session.snapshot',
  'market.candles',
  'proposal.create',
  'proposal.preview',
  'proposal.approve',
  'proposal.reject',
  'position.close',
  'position.reduce',
  'position.margin',
  'order.move',
  'margin.history',
  'breaker.reset',
  'flatten',
  'strategy.set',
  'strategies.resume',
  'strategies.folder',
  'backtest.run',
  'backtest.cancel',
  'journal.tail',
  'journal.export',
  'settings.get',
  'settings.update',
  'credentials.set',
  'credentials.status',
  'credentials.clear',
  'credentials.test',
  'mode.set',
  'mode.status',
  'drill.list',
  'drill.start',
  'drill.stop',
] as const satisfies readonly CommandName[];

/** What the main process pushes on {@link IPC.event}. */
export interface IpcEventFrame {
  event: EventName;
  payload: unknown;
}
