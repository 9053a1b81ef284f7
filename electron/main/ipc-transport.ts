import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { COMMAND_NAMES, IPC, MAX_FRAME_BYTES, type CommandHandlers, type IpcEventFrame } from '../../shared/contract';
import { fail, type Result } from '../../shared/result';
import { dispatch } from '../engine/dispatch';
import type { EventBus } from '../engine/event-bus';

export interface IpcTransportOptions {
  handlers: CommandHandlers;
  bus: EventBus;
  /** True when a frame URL is the app's own page; see {@link appPageMatcher}. */
  isAppPage: (url: string) => boolean;
  /** Where events are pushed: the cockpit window's contents, or null while there is none. */
  target: () => WebContents | null;
}

/**
 * Matches the app's own page: the same file for a `file:` entry (the built
 * renderer), the same origin for an `http(s):` entry (the dev server).
 * Query and fragment never matter.
 */
export function appPageMatcher(entryUrl: string): (url: string) => boolean {
  const entry = new URL(entryUrl);
  return (candidate) => {
    if (!URL.canParse(candidate)) return false;
    const url = new URL(candidate);
    if (entry.protocol === 'file:') return url.protocol === 'file:' && url.host === entry.host && url.pathname === entry.pathname;
    return url.origin === entry.origin;
  };
}

/** The sender frame's URL; '' when the frame is gone (Electron throws on a disposed frame). */
function senderUrl(event: IpcMainInvokeEvent): string {
  try {
    return event.senderFrame?.url ?? '';
  } catch {
    return '';
  }
}

function frameBytes(input: unknown): number {
  try {
    return new TextEncoder().encode(JSON.stringify(input) ?? '').byteLength;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/**
 * The Electron transport: one `ipcMain.handle` per contract command, each
 * checking that the sender is the app's own page and passing the payload
 * through {@link dispatch}; engine events go to the window on {@link IPC.event}.
 * Returns the function that removes every handler and the event subscription.
 */
export function startIpcTransport(options: IpcTransportOptions): () => void {
  const receive = (command: string) => async (event: IpcMainInvokeEvent, input: unknown): Promise<Result<unknown>> => {
    if (!options.isAppPage(senderUrl(event))) return fail('unauthorized', 'Commands are accepted only from the cockpit page');
    if (frameBytes(input) > MAX_FRAME_BYTES) return fail('invalid-input', `Input exceeds ${MAX_FRAME_BYTES} bytes`);
    return dispatch(options.handlers, command, input);
  };
  for (const command of COMMAND_NAMES) ipcMain.handle(IPC.invoke(command), receive(command));

  const unsubscribe = options.bus.subscribe((event, payload) => {
    const contents = options.target();
    if (!contents || contents.isDestroyed()) return;
    contents.send(IPC.event, { event, payload } satisfies IpcEventFrame);
  });

  return () => {
    unsubscribe();
    for (const command of COMMAND_NAMES) ipcMain.removeHandler(IPC.invoke(command));
  };
}
