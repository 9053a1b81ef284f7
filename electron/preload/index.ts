import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CockpitApi, CommandName, EngineEvents, EventName } from '../../shared/contract';
import { COMMAND_NAMES, IPC, type IpcEventFrame } from '../../shared/ipc';
import type { CockpitError, Result } from '../../shared/result';

type Handler = (payload: unknown) => void;

const handlers = new Map<string, Set<Handler>>();
const knownCommands: ReadonlySet<string> = new Set(COMMAND_NAMES);

ipcRenderer.on(IPC.event, (_event: IpcRendererEvent, frame: IpcEventFrame) => {
  for (const handler of handlers.get(frame.event) ?? []) {
    try {
      handler(frame.payload);
    } catch (error) {
      console.error(`cockpit: a handler for "${frame.event}" threw`, error);
    }
  }
});

const failure = (type: CockpitError['type'], message: string): Result<never> => ({ ok: false, error: { type, message } });

const cockpit = {
  invoke(command, input) {
    if (typeof command !== 'string' || !knownCommands.has(command)) {
      return Promise.resolve(failure('unknown-command', `Unknown command: ${String(command).slice(0, 64)}`));
    }
    return ipcRenderer
      .invoke(IPC.invoke(command as CommandName), input)
      .catch((error: unknown) => failure('internal', error instanceof Error ? error.message : String(error)));
  },
  on<E extends EventName>(event: E, handler: (payload: EngineEvents[E]) => void) {
    const set = handlers.get(event) ?? new Set<Handler>();
    handlers.set(event, set);
    const entry: Handler = (payload) => handler(payload as EngineEvents[E]);
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  },
} satisfies CockpitApi;

contextBridge.exposeInMainWorld('cockpit', cockpit);
