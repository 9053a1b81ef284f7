/// <reference types="vite/client" />
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { IPC } from '../../shared/ipc';
import ipcSource from '../../shared/ipc.ts?raw';
import preloadSource from './index.ts?raw';

type Listener = (event: unknown, frame: unknown) => void;

const electron = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const exposures: string[] = [];
  const listeners = new Map<string, Listener[]>();
  return {
    exposed,
    exposures,
    listeners,
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposures.push(key);
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke: vi.fn(async (_channel: string, _input: unknown): Promise<unknown> => ({ ok: true, value: 'answer' })),
      on: vi.fn((channel: string, listener: Listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener])),
    },
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

await import('./index');
const cockpit = electron.exposed.cockpit as import('../../shared/contract').CockpitApi;

function push(event: string, payload: unknown): void {
  const sender = { sender: 'the raw IpcRendererEvent must never reach the page' };
  for (const listener of electron.listeners.get(IPC.event) ?? []) listener(sender, { event, payload });
}

beforeEach(() => {
  electron.ipcRenderer.invoke.mockClear();
});

describe('the preload', () => {
  it('exposes one object, window.cockpit, with only invoke and on', () => {
    expect(electron.exposures).toEqual(['cockpit']);
    expect(Object.keys(cockpit).sort()).toEqual(['invoke', 'on']);
    expect(typeof cockpit.invoke).toBe('function');
    expect(typeof cockpit.on).toBe('function');
  });

  it('listens on the one event channel and nothing else', () => {
    expect([...electron.listeners.keys()]).toEqual([IPC.event]);
  });

  it('sends a command on its own channel and hands back the main process answer', async () => {
    expect(await cockpit.invoke('engine.ping', { nonce: 'a' })).toEqual({ ok: true, value: 'answer' });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(IPC.invoke('engine.ping'), { nonce: 'a' });
  });

  it('answers an unknown command with a typed error without sending it', async () => {
    const result = await cockpit.invoke('engine.shutdown' as never, {} as never);
    expect(result).toMatchObject({ ok: false, error: { type: 'unknown-command' } });
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('turns a failed IPC call into a typed error, never a rejection', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error('main process went away'));
    expect(await cockpit.invoke('engine.ping', { nonce: 'a' })).toEqual({ ok: false, error: { type: 'internal', message: 'main process went away' } });
  });

  it('delivers each event payload to its subscribers only, and unsubscribes', () => {
    const tickers: unknown[] = [];
    const journal: unknown[] = [];
    const off = cockpit.on('ticker', (payload) => tickers.push(payload));
    cockpit.on('journal', (payload) => journal.push(payload));
    push('ticker', { symbol: 'BTC/USDT:USDT', last: 1 });
    push('journal', { seq: 1 });
    off();
    push('ticker', { symbol: 'BTC/USDT:USDT', last: 2 });
    expect(tickers).toEqual([{ symbol: 'BTC/USDT:USDT', last: 1 }]);
    expect(journal).toEqual([{ seq: 1 }]);
  });

  it('keeps delivering when one subscriber throws', () => {
    const seen: unknown[] = [];
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const offBroken = cockpit.on('account', () => {
      throw new Error('broken widget');
    });
    const offGood = cockpit.on('account', (payload) => seen.push(payload));
    push('account', { equity: 1 });
    expect(seen).toEqual([{ equity: 1 }]);
    expect(error).toHaveBeenCalled();
    offBroken();
    offGood();
    error.mockRestore();
  });

  it('pulls in nothing at runtime but electron and the zod-free IPC names', () => {
    const runtimeImports = (source: string) =>
      [...source.matchAll(/^import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(runtimeImports(preloadSource).sort()).toEqual(['../../shared/ipc', 'electron']);
    expect(runtimeImports(ipcSource)).toEqual([]);
  });
});
