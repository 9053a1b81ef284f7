import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, globalShortcut, session, shell } from 'electron';
import Store from 'electron-store';
import type { Settings } from '../../shared/settings';
import { createEngine } from '../engine/bootstrap';
import { dispatch } from '../engine/dispatch';
import type { Engine } from '../engine/engine';
import type { FlattenReport } from '../../shared/domain';
import type { Result } from '../../shared/result';
import type { ModeChoice } from '../engine/mode-host';
import { appRelauncher, createAppModeHost } from './app-mode-host';
import { SafeStorageCredentialVault, type StoredCredentials } from './credential-store';
import { forwardEngineNotifications, showDesktopNotification } from './desktop-notifications';
import { ElectronSettingsStore } from './electron-settings-store';
import { appPageMatcher, startIpcTransport } from './ipc-transport';
import { liveVenueAtLaunch, paperFeedFromEnv } from './launch-options';
import { ModeChoiceStore } from './mode-choice-store';
import { installPanicControls } from './panic-controls';
import { acquireSingleInstance, hardenSession, lockDownEveryContents, secureWindowOptions } from './security';
import { errorMessage } from '../../shared/error-message';

const PRELOAD = path.join(import.meta.dirname, '../preload/index.cjs');
const RENDERER_HTML = path.join(import.meta.dirname, '../renderer/index.html');
/** The window and taskbar icon: resources/ sits beside out/ in the app folder. */
const ICON = path.join(import.meta.dirname, '../../resources/icon.png');
const DEV_SERVER = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

/** The smallest window the cockpit's layout fits without scrolling its panels (renderer/src/styles/cockpit.css). */
const MIN_WINDOW_SIZE = { width: 1280, height: 800 } as const;

let mainWindow: BrowserWindow | null = null;
let engine: Engine | null = null;
let stopTransport: (() => void) | null = null;

function createWindow(): BrowserWindow {
  const window = new BrowserWindow(
    secureWindowOptions(PRELOAD, { width: 1440, height: 900, minWidth: MIN_WINDOW_SIZE.width, minHeight: MIN_WINDOW_SIZE.height, show: false, backgroundColor: '#0b0e13', title: 'Leverage Cockpit', icon: ICON }),
  );
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void (DEV_SERVER ? window.loadURL(DEV_SERVER) : window.loadFile(RENDERER_HTML));
  return window;
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Shows a folder in the desktop's file manager; `shell.openPath` answers with an error message, or '' when it opened. */
async function openFolderInFileManager(folder: string): Promise<void> {
  const problem = await shell.openPath(folder);
  if (problem) throw new Error(`The folder ${folder} could not be opened: ${problem}`);
}

async function launch(): Promise<void> {
  hardenSession(session.defaultSession);
  const settingsStore = new ElectronSettingsStore(new Store<{ settings?: Settings }>({ name: 'settings' }));
  const credentialStore = new Store<{ vault?: StoredCredentials }>({ name: 'credentials' });
  const vault = new SafeStorageCredentialVault({
    get: () => credentialStore.get('vault'),
    set: (record) => credentialStore.set('vault', record),
    delete: () => credentialStore.delete('vault'),
  });
  const modeStore = new ModeChoiceStore(new Store<{ choice?: ModeChoice }>({ name: 'mode' }));
  const live = liveVenueAtLaunch(process.env, modeStore.load(), vault.status());
  const feed = paperFeedFromEnv(process.env);
  engine = await createEngine({
    dataDir: path.join(app.getPath('userData'), 'engine'),
    strategiesDir: path.join(app.getPath('userData'), 'strategies'),
    openFolder: openFolderInFileManager,
    settingsStore,
    vault,
    host: createAppModeHost({ env: process.env, store: modeStore, vault, restart: appRelauncher({ shutdown }) }),
    ...(live ? { live } : {}),
    ...(feed && !live ? { paper: { feed } } : {}),
  });
  const handlers = engine.handlers;

  stopTransport = startIpcTransport({
    handlers,
    bus: engine.bus,
    isAppPage: appPageMatcher(DEV_SERVER ?? pathToFileURL(RENDERER_HTML).href),
    target: () => mainWindow?.webContents ?? null,
  });
  forwardEngineNotifications(engine.bus);
  const panic = installPanicControls({
    flatten: (reason) => dispatch(handlers, 'flatten', { reason }) as Promise<Result<FlattenReport>>,
    notify: showDesktopNotification,
    globalChord: settingsStore.load().shortcuts.globalPanic,
  });
  engine.bus.subscribe((event, payload) => {
    if (event === 'settings') panic.setGlobalChord((payload as Settings).shortcuts.globalPanic);
  });
  await engine.start();
  mainWindow = createWindow();
}

async function shutdown(): Promise<void> {
  globalShortcut.unregisterAll();
  stopTransport?.();
  stopTransport = null;
  const running = engine;
  engine = null;
  await running?.stop();
}

function fatal(error: unknown): void {
  dialog.showErrorBox('The cockpit could not start', errorMessage(error));
  app.exit(1);
}

if (acquireSingleInstance(focusWindow)) {
  lockDownEveryContents();
  app.on('window-all-closed', () => app.quit());
  app.on('activate', () => {
    if (engine && BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
  app.on('before-quit', (event) => {
    if (!engine) return;
    event.preventDefault();
    void shutdown()
      .catch((error: unknown) => console.error('cockpit: shutdown failed', error))
      .finally(() => app.quit());
  });
  app.whenReady().then(launch).catch(fatal);
}
