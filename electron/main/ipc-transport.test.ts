import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { commandInputs, IPC, MAX_FRAME_BYTES, MAX_STRING } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { MemoryCredentialVault } from '../engine/credential-vault';
import { Engine } from '../engine/engine';
import type { ExchangeAdapter } from '../engine/exchange/adapter';
import { MemorySettingsStore } from '../engine/settings-store';

type Handle = (event: { senderFrame: { url: string } | null }, input: unknown) => Promise<Result<unknown>>;

const electron = vi.hoisted(() => {
  const handlers = new Map<string, Handle>();
  return {
    handlers,
    ipcMain: {
      handle: vi.fn((channel: string, handler: Handle) => {
        if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
        handlers.set(channel, handler);
      }),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

const { appPageMatcher, startIpcTransport } = await import('./ipc-transport');

const APP_PAGE = 'file:///opt/cockpit/out/renderer/index.html';
const fromApp = { senderFrame: { url: `${APP_PAGE}#/` } };

/** The engine, reached through no exchange: the transport never needs one. */
function offlineEngine(dataDir: string): Engine {
  const adapter = { id: 'paper', mode: 'paper', close: async () => {} } as unknown as ExchangeAdapter;
  return new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
}

function fakeContents() {
  return { destroyed: false, sent: [] as unknown[][], isDestroyed() { return this.destroyed; }, send(...args: unknown[]) { this.sent.push(args); } };
}

let dataDir: string;
let engine: Engine;
let contents: ReturnType<typeof fakeContents> | null;
let stop: () => void;

function invoke(command: string, input: unknown, event: Parameters<Handle>[0] = fromApp): Promise<Result<unknown>> {
  const handler = electron.handlers.get(IPC.invoke(command as never));
  if (!handler) throw new Error(`no IPC handler for ${command}`);
  return handler(event, input);
}

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-ipc-'));
  engine = offlineEngine(dataDir);
  contents = fakeContents();
  stop = startIpcTransport({ handlers: engine.handlers, bus: engine.bus, isAppPage: appPageMatcher(APP_PAGE), target: () => contents as never });
});

afterEach(async () => {
  stop();
  await engine.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the IPC transport', () => {
  it('registers exactly one handler per contract command, and nothing else', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(Object.keys(commandInputs).map((c) => IPC.invoke(c as never)).sort());
  });

  it('runs a valid command from the app page', async () => {
    expect(await invoke('engine.ping', { nonce: 'n-1' })).toEqual({ ok: true, value: { nonce: 'n-1', serverTime: expect.any(Number) } });
  });

  it.each([
    ['a wrong type', { nonce: 42 }, 'nonce'],
    ['a missing field', {}, 'nonce'],
    ['an oversized string', { nonce: 'x'.repeat(MAX_STRING + 1) }, 'nonce'],
    ['an unknown field', { nonce: 'a', extra: true }, '(input)'],
    ['no object at all', 'ping', '(input)'],
  ])('rejects %s as a typed invalid-input error, and keeps the engine running', async (_case, input, field) => {
    const result = await invoke('engine.ping', input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.type).toBe('invalid-input');
    expect(Object.keys(result.error.fields ?? {})).toContain(field);
    expect(await invoke('engine.ping', { nonce: 'still here' })).toMatchObject({ ok: true, value: { nonce: 'still here' } });
  });

  it('rejects a payload over the frame limit', async () => {
    const result = await invoke('journal.tail', { filter: 'x'.repeat(MAX_FRAME_BYTES) });
    expect(result).toMatchObject({ ok: false, error: { type: 'invalid-input', message: expect.stringContaining(String(MAX_FRAME_BYTES)) } });
  });

  it('has no channel for an unknown command (the preload answers those itself)', () => {
    expect(electron.handlers.has(IPC.invoke('engine.shutdown' as never))).toBe(false);
  });

  it.each([
    ['another site', 'https://evil.example/index.html'],
    ['another local file', 'file:///tmp/evil.html'],
    ['a frame without a URL', ''],
  ])('refuses commands from %s without running them', async (_case, url) => {
    const result = await invoke('credentials.clear', {}, { senderFrame: { url } });
    expect(result).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
    const journal = await invoke('journal.tail', {});
    expect(journal.ok && (journal.value as { type: string }[]).map((e) => e.type)).not.toContain('credentials.clear');
  });

  it('refuses a sender whose frame is gone', async () => {
    expect(await invoke('engine.ping', { nonce: 'a' }, { senderFrame: null })).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
    const disposed = {
      get senderFrame(): { url: string } {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(await invoke('engine.ping', { nonce: 'a' }, disposed)).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
  });

  it('pushes engine events to the window on the one event channel', async () => {
    await invoke('settings.update', { settings: (await invoke('settings.get', {}) as { value: unknown }).value });
    const events = contents!.sent.filter(([channel]) => channel === IPC.event).map(([, frame]) => frame as { event: string });
    expect(events.map((f) => f.event)).toEqual(expect.arrayContaining(['journal', 'settings']));
    expect(contents!.sent.every(([channel]) => channel === IPC.event)).toBe(true);
  });

  it('skips a destroyed or missing window', () => {
    contents!.destroyed = true;
    engine.bus.emit('notification', { id: 'n', level: 'info', title: 't', message: 'm', time: 0 });
    expect(contents!.sent).toEqual([]);
    contents = null;
    expect(() => engine.bus.emit('notification', { id: 'n', level: 'info', title: 't', message: 'm', time: 0 })).not.toThrow();
  });

  it('removes every handler and stops pushing events when stopped', () => {
    stop();
    expect(electron.handlers.size).toBe(0);
    engine.bus.emit('notification', { id: 'n', level: 'info', title: 't', message: 'm', time: 0 });
    expect(contents!.sent).toEqual([]);
    stop = () => {};
  });
});

describe('the app page check', () => {
  it('accepts the built page, whatever its fragment or query', () => {
    const isApp = appPageMatcher(APP_PAGE);
    expect(isApp(APP_PAGE)).toBe(true);
    expect(isApp(`${APP_PAGE}?x=1#token`)).toBe(true);
    expect(isApp('file:///opt/cockpit/out/renderer/other.html')).toBe(false);
    expect(isApp('http://localhost:5173/')).toBe(false);
    expect(isApp('not a url')).toBe(false);
  });

  it('accepts the dev server by origin only', () => {
    const isApp = appPageMatcher('http://localhost:5173/');
    expect(isApp('http://localhost:5173/index.html#x')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('http://evil.example/')).toBe(false);
    expect(isApp('file:///opt/cockpit/out/renderer/index.html')).toBe(false);
  });
});
