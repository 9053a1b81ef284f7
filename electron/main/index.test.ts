import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES, IPC } from '../../shared/contract';
import type { Result } from '../../shared/result';
import { DEFAULT_SETTINGS } from '../../shared/settings';

type Handle = (event: { senderFrame: { url: string } }, input: unknown) => Promise<Result<unknown>>;

interface MenuItem {
  label?: string;
  role?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

interface Shown {
  title: string;
  body: string;
  urgency: string;
}

/**
 * Just enough of Electron for the main process to boot, recording what it
 * was asked to do. `app.quit()` behaves as Electron's: it emits `before-quit`
 * and quits only when no listener prevents it.
 */
const electron = vi.hoisted(() => {
  const { EventEmitter } = require('node:events') as typeof import('node:events');
  const { pathToFileURL } = require('node:url') as typeof import('node:url');

  const state = {
    userData: '',
    singleInstance: true,
    windows: [] as InstanceType<typeof FakeWindow>[],
    handlers: new Map<string, Handle>(),
    shortcuts: new Map<string, () => void>(),
    menu: [] as MenuItem[],
    notifications: [] as Shown[],
    steps: [] as string[],
    listeners: [] as (() => void)[],
  };
  const changed = () => [...state.listeners].forEach((listener) => listener());

  const preventable = () => ({
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  });

  const app = Object.assign(new EventEmitter(), {
    name: 'Leverage Cockpit',
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => state.singleInstance),
    whenReady: vi.fn(() => Promise.resolve()),
    getPath: (name: string) => {
      if (name !== 'userData') throw new Error(`the main process asked for the ${name} path`);
      return state.userData;
    },
    getVersion: () => '0.1.0',
    quit: vi.fn(() => {
      const event = preventable();
      app.emit('before-quit', event);
      if (event.defaultPrevented) return;
      state.steps.push('quit');
      changed();
    }),
    relaunch: vi.fn(() => void state.steps.push('relaunch')),
    exit: vi.fn((code: number) => {
      state.steps.push(`exit ${code}`);
      changed();
    }),
  });

  class FakeContents extends EventEmitter {
    send = vi.fn();
    isDestroyed = () => false;
  }

  class FakeWindow extends EventEmitter {
    static getAllWindows = () => state.windows;
    readonly webContents = new FakeContents();
    page = '';
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn();
    isMinimized = () => false;
    constructor(readonly options: { webPreferences: Record<string, unknown>; minWidth?: number; minHeight?: number; icon?: string }) {
      super();
      state.windows.push(this);
      changed();
    }
    loadFile(file: string) {
      this.page = pathToFileURL(file).href;
      return Promise.resolve();
    }
    loadURL(url: string) {
      this.page = url;
      return Promise.resolve();
    }
  }

  class FakeNotification {
    static isSupported(): boolean {
      return true;
    }
    constructor(private readonly options: Shown) {}
    show(): void {
      state.notifications.push(this.options);
      changed();
    }
  }

  return {
    state,
    changed,
    preventable,
    module: {
      app,
      BrowserWindow: FakeWindow,
      dialog: {
        showErrorBox: vi.fn((title: string, message: string) => {
          state.steps.push(`fatal: ${title}: ${message}`);
          changed();
        }),
      },
      globalShortcut: {
        register: vi.fn((accelerator: string, callback: () => void) => {
          state.shortcuts.set(accelerator, callback);
          return true;
        }),
        unregister: vi.fn((accelerator: string) => state.shortcuts.delete(accelerator)),
        unregisterAll: vi.fn(() => state.shortcuts.clear()),
      },
      session: {
        defaultSession: {
          setPermissionRequestHandler: vi.fn(),
          setPermissionCheckHandler: vi.fn(),
          webRequest: { onHeadersReceived: vi.fn() },
        },
      },
      ipcMain: {
        handle: vi.fn((channel: string, handler: Handle) => {
          if (state.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
          state.handlers.set(channel, handler);
        }),
        removeHandler: vi.fn((channel: string) => state.handlers.delete(channel)),
      },
      Menu: { buildFromTemplate: (template: MenuItem[]) => template, setApplicationMenu: (menu: MenuItem[]) => (state.menu = menu) },
      Notification: FakeNotification,
      shell: {
        openPath: vi.fn(async (folder: string) => {
          state.steps.push(`open folder ${folder}`);
          changed();
          return '';
        }),
      },
      safeStorage: {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptString: (plain: string) => Buffer.from(Buffer.from(plain).toString('hex').split('').reverse().join('')),
        decryptString: (cipher: Buffer) => Buffer.from(cipher.toString().split('').reverse().join(''), 'hex').toString(),
      },
    },
  };
});
vi.mock('electron', () => electron.module);

/**
 * electron-store is Conf with Electron's userData folder as its home; it sits
 * outside vitest's module graph, so it gets the same userData from the mock.
 */
vi.mock('electron-store', async () => {
  const { default: Conf } = await import('conf');
  return {
    default: class ElectronStore extends Conf<Record<string, unknown>> {
      constructor({ name = 'config', ...options }: { name?: string } = {}) {
        super({ ...options, configName: name, cwd: electron.state.userData, projectVersion: electron.module.app.getVersion() });
      }
    },
  };
});

const { app } = electron.module;
const { state } = electron;
const PRELOAD = path.join(import.meta.dirname, '../preload/index.cjs');
const LAUNCH_ENV = ['ELECTRON_RENDERER_URL', 'COCKPIT_EXCHANGE', 'COCKPIT_EXCHANGE_URL', 'COCKPIT_TESTNET', 'COCKPIT_FEED', 'COCKPIT_FEED_EXCHANGE', 'COCKPIT_REPLAY'];

type Window = (typeof state.windows)[number];

/** Resolves once `check` holds, re-checking on every recorded Electron call; fails on a fatal start. */
function until<T>(check: () => T | undefined | false): Promise<T> {
  return new Promise((resolve, reject) => {
    const look = () => {
      const fatal = state.steps.find((step) => step.startsWith('fatal'));
      if (fatal) return reject(new Error(fatal));
      const found = check();
      if (found === undefined || found === false) return;
      state.listeners.splice(state.listeners.indexOf(look), 1);
      resolve(found);
    };
    state.listeners.push(look);
    look();
  });
}

/** Runs the main process as `electron .` does, and waits for its window. */
async function boot(): Promise<Window> {
  vi.resetModules();
  await import('./index');
  return until(() => state.windows[0]);
}

function quitted(): Promise<true> {
  return until(() => state.steps.includes('quit') || state.steps.includes('exit 0'));
}

function invoke(command: string, input: unknown, url: string): Promise<Result<unknown>> {
  const handler = state.handlers.get(IPC.invoke(command as never));
  if (!handler) throw new Error(`no IPC handler for ${command}`);
  return handler({ senderFrame: { url } }, input);
}

function journal(): { type: string; data: Record<string, unknown> }[] {
  const file = path.join(state.userData, 'engine', 'journal', 'journal.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

function menuItems(): MenuItem[] {
  return state.menu.flatMap((menu) => menu.submenu ?? []);
}

beforeEach(() => {
  state.userData = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-main-'));
  state.singleInstance = true;
  state.windows = [];
  state.handlers.clear();
  state.shortcuts.clear();
  state.menu = [];
  state.notifications = [];
  state.steps = [];
  state.listeners = [];
  app.removeAllListeners();
  vi.clearAllMocks();
  for (const name of LAUNCH_ENV) vi.stubEnv(name, undefined);
});

afterEach(async () => {
  if (state.windows.length > 0 && !state.steps.some((step) => step === 'quit' || step.startsWith('exit'))) {
    app.quit();
    await quitted();
  }
  vi.unstubAllEnvs();
  fs.rmSync(state.userData, { recursive: true, force: true });
});

describe('a second start of the app', () => {
  it('quits at once and starts no engine, leaving the first instance alone', async () => {
    state.singleInstance = false;
    vi.resetModules();
    await import('./index');
    await new Promise((resolve) => setImmediate(resolve));
    expect(app.quit).toHaveBeenCalled();
    expect(app.whenReady).not.toHaveBeenCalled();
    expect(state.windows).toEqual([]);
    expect(state.handlers.size).toBe(0);
    expect(fs.existsSync(path.join(state.userData, 'engine'))).toBe(false);
  });
});

describe('the main process, once Electron is ready', () => {
  it('opens one sandboxed, isolated window with the built preload and no Node', async () => {
    const window = await boot();
    expect(state.windows).toHaveLength(1);
    expect(window.options.webPreferences).toMatchObject({
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window.page).toBe(pathToFileURL(path.join(import.meta.dirname, '../renderer/index.html')).href);
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('never lets the window shrink below the 1280×800 the layout needs, so the panic button stays on screen', async () => {
    const window = await boot();
    expect(window.options).toMatchObject({ minWidth: 1280, minHeight: 800 });
  });

  it('gives the window the cockpit icon from resources/', async () => {
    const window = await boot();
    expect(window.options.icon).toMatch(/resources[\\/]icon\.png$/);
    expect(fs.existsSync(window.options.icon!), 'the icon file exists').toBe(true);
  });

  it('refuses every permission and locks down every page it creates', async () => {
    await boot();
    const [onRequest] = electron.module.session.defaultSession.setPermissionRequestHandler.mock.calls[0]!;
    const granted = vi.fn();
    (onRequest as (contents: unknown, permission: string, callback: (granted: boolean) => void) => void)(null, 'media', granted);
    expect(granted).toHaveBeenCalledWith(false);

    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    app.emit('web-contents-created', {}, contents);
    const navigation = electron.preventable();
    contents.emit('will-navigate', navigation);
    expect(navigation.defaultPrevented).toBe(true);
    expect(contents.setWindowOpenHandler.mock.calls[0]![0]({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
  });

  it('answers every contract command on its own IPC channel, once', async () => {
    await boot();
    const channels = electron.module.ipcMain.handle.mock.calls.map(([channel]) => channel);
    expect(channels.sort()).toEqual(COMMAND_NAMES.map((command) => IPC.invoke(command)).sort());
  });

  it('installs the system-wide panic chord and an app-menu item on the quick in-window shortcut that flattens', async () => {
    await boot();
    expect([...state.shortcuts.keys()]).toEqual(['CommandOrControl+Alt+Shift+F']);
    const item = menuItems().find((entry) => entry.accelerator === 'CommandOrControl+Shift+X');
    expect(item?.label).toBe('Flatten everything');
    item!.click!();
    await until(() => state.notifications.find((shown) => shown.title === 'Flat'));
    expect(journal()).toContainEqual(expect.objectContaining({ type: 'flatten.start', data: expect.objectContaining({ reason: 'panic menu' }) }));
  });

  it('brings the running window to the front when the app is started again', async () => {
    const window = await boot();
    app.emit('second-instance');
    expect(window.focus).toHaveBeenCalled();
  });
});

describe('commands from the window', () => {
  it("reach the paper engine from the app's own page", async () => {
    const window = await boot();
    expect(await invoke('engine.ping', { nonce: 'n-1' }, window.page)).toMatchObject({ ok: true, value: { nonce: 'n-1' } });
    expect(await invoke('session.snapshot', {}, `${window.page}#/journal`)).toMatchObject({ ok: true, value: { mode: 'paper', exchange: 'paper' } });
  });

  it('are refused from any other frame, and never reach the engine', async () => {
    const window = await boot();
    for (const url of ['https://evil.example/index.html', 'file:///tmp/evil.html', '']) {
      expect(await invoke('flatten', { reason: 'foreign' }, url)).toMatchObject({ ok: false, error: { type: 'unauthorized' } });
    }
    expect(journal().map((entry) => entry.type)).not.toContain('flatten.start');
    expect(await invoke('engine.ping', { nonce: 'still here' }, window.page)).toMatchObject({ ok: true });
  });

  it('keep the settings in the electron-store file under userData', async () => {
    const window = await boot();
    const settings = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.005 } };
    expect(await invoke('settings.update', { settings }, window.page)).toMatchObject({ ok: true });
    const stored = JSON.parse(fs.readFileSync(path.join(state.userData, 'settings.json'), 'utf8'));
    expect(stored.settings.risk.riskPerTrade).toBe(0.005);
  });

  it('open the strategies folder under userData in the file manager', async () => {
    const window = await boot();
    const folder = path.join(state.userData, 'strategies');
    expect(await invoke('strategies.folder', {}, window.page)).toEqual({ ok: true, value: { path: folder, opened: true } });
    expect(state.steps).toContain(`open folder ${folder}`);
  });
});

describe('the panic chord', () => {
  it('follows the settings: a new chord saved in Settings replaces the old one system-wide', async () => {
    const window = await boot();
    const settings = { ...DEFAULT_SETTINGS, shortcuts: { globalPanic: 'Ctrl+Alt+P' } };
    expect(await invoke('settings.update', { settings }, window.page)).toMatchObject({ ok: true });
    await until(() => state.shortcuts.has('Ctrl+Alt+P') || undefined);
    expect([...state.shortcuts.keys()]).toEqual(['Ctrl+Alt+P']);
  });

  it("runs the engine's flatten and tells the user the account is flat", async () => {
    await boot();
    state.shortcuts.get('CommandOrControl+Alt+Shift+F')!();
    const shown = await until(() => state.notifications.find((entry) => entry.title === 'Flat'));
    expect(shown.urgency).toBe('normal');
    expect(journal()).toContainEqual(expect.objectContaining({ type: 'flatten.start', data: expect.objectContaining({ reason: 'panic shortcut' }) }));
    expect(journal().map((entry) => entry.type)).toContain('flatten.end');
  });
});

describe('quitting', () => {
  it('closing the last window quits; the engine stops first and the shortcut is released', async () => {
    await boot();
    state.windows.length = 0;
    app.emit('window-all-closed');
    await quitted();
    expect(journal().at(-1)?.type).toBe('engine.stop');
    expect(state.shortcuts.size).toBe(0);
    expect(state.handlers.size).toBe(0);
  });

  it('stops the engine before Electron quits, however the quit started', async () => {
    await boot();
    const event = electron.preventable();
    app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(true);
    expect(state.steps).not.toContain('quit');
    await quitted();
    expect(journal().filter((entry) => entry.type === 'engine.stop')).toHaveLength(1);
    expect(electron.module.globalShortcut.unregisterAll).toHaveBeenCalled();
  });
});

describe('switching to live trading from the window', () => {
  it('stores the keys encrypted and the choice under userData, then shuts down and relaunches', async () => {
    const window = await boot();
    const keys = { exchange: 'binanceusdm', apiKey: 'AKIA1234567890KEY', apiSecret: 'super-secret-value-42', testnet: false, demo: true };
    expect(await invoke('credentials.set', keys, window.page)).toMatchObject({ ok: true, value: { stored: true, encryption: 'os' } });
    expect(fs.readFileSync(path.join(state.userData, 'credentials.json'), 'utf8')).not.toContain(keys.apiSecret);

    const answer = await invoke('mode.set', { mode: 'live', confirmation: 'binanceusdm' }, window.page);
    expect(answer).toMatchObject({ ok: true, value: { current: 'paper', next: 'live', exchange: 'binanceusdm', restartRequired: true } });
    await quitted();
    expect(state.steps).toEqual(['relaunch', 'exit 0']);
    expect(journal().at(-1)?.type).toBe('engine.stop');
    expect(state.shortcuts.size).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(state.userData, 'mode.json'), 'utf8'))).toEqual({ choice: { mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true } });
  });
});
