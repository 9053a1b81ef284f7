import { app, globalShortcut, Menu, type MenuItemConstructorOptions } from 'electron';
import type { FlattenReport } from '../../shared/domain';
import type { Result } from '../../shared/result';

/** Flattens from anywhere on the desktop, even when the cockpit window is hidden. */
export const FLATTEN_ACCELERATOR = 'CommandOrControl+Shift+X';

export interface PanicControlsOptions {
  /** Runs the engine's `flatten` command (through dispatch). */
  flatten: (reason: string) => Promise<Result<FlattenReport>>;
  /** Tells the user what happened, e.g. with a desktop notification. */
  notify: (title: string, body: string, critical: boolean) => void;
}

function describe(result: Result<FlattenReport>): { title: string; body: string; critical: boolean } {
  if (!result.ok) return { title: 'Flatten failed', body: result.error.message, critical: true };
  if (result.value.flat) return { title: 'Flat', body: 'Every position is closed and every order cancelled.', critical: false };
  return { title: 'Flatten incomplete', body: result.value.remaining.join('\n') || 'Some positions or orders remain.', critical: true };
}

/**
 * The panic controls of the desktop app: a global shortcut and an app-menu
 * item, both running the engine's flatten. Returns whether the shortcut could
 * be registered (another app may own it); the menu item works either way.
 */
export function installPanicControls(options: PanicControlsOptions): boolean {
  const trigger = (origin: string) => {
    void options.flatten(`panic ${origin}`).then((result) => {
      const { title, body, critical } = describe(result);
      options.notify(title, body, critical);
    });
  };

  const template: MenuItemConstructorOptions[] = [
    {
      label: app.name || 'Cockpit',
      submenu: [
        { label: 'Flatten everything', accelerator: FLATTEN_ACCELERATOR, click: () => trigger('menu') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));

  const registered = globalShortcut.register(FLATTEN_ACCELERATOR, () => trigger('shortcut'));
  if (!registered) options.notify('Panic shortcut unavailable', `${FLATTEN_ACCELERATOR} is taken by another application; use the Flatten button or menu.`, true);
  return registered;
}
