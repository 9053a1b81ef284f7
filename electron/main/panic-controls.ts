import { app, globalShortcut, Menu, type MenuItemConstructorOptions } from 'electron';
import type { FlattenReport } from '../../shared/domain';
import { globalPanicChordProblem, IN_WINDOW_PANIC } from '../../shared/panic-chord';
import type { Result } from '../../shared/result';

export interface PanicControlsOptions {
  /** Runs the engine's `flatten` command (through dispatch). */
  flatten: (reason: string) => Promise<Result<FlattenReport>>;
  /** Tells the user what happened, e.g. with a desktop notification. */
  notify: (title: string, body: string, critical: boolean) => void;
  /** The system-wide chord from the settings (`shortcuts.globalPanic`). */
  globalChord: string;
}

/** The installed panic controls. */
export interface PanicControls {
  /** The system-wide chord registered now; null when none could be (refused, or owned by another app). */
  readonly globalChord: string | null;
  /** Swaps the system-wide chord (a settings change): the new one is registered before the old one is let go; false when it could not be. */
  setGlobalChord(chord: string): boolean;
}

function describe(result: Result<FlattenReport>): { title: string; body: string; critical: boolean } {
  if (!result.ok) return { title: 'Flatten failed', body: result.error.message, critical: true };
  if (result.value.flat) return { title: 'Flat', body: 'Every position is closed and every order cancelled.', critical: false };
  return { title: 'Flatten incomplete', body: result.value.remaining.join('\n') || 'Some positions or orders remain.', critical: true };
}

/**
 * The panic controls of the desktop app: an app-menu item with the quick in-window shortcut
 * (Ctrl+Shift+X, only while the window has the focus) and a deliberate system-wide chord from the
 * settings, both running the engine's flatten. A chord that is refused (see shared/panic-chord.ts) or
 * owned by another app is not registered, and the user is told; the menu item and the button work either way.
 */
export function installPanicControls(options: PanicControlsOptions): PanicControls {
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
        { label: 'Flatten everything', accelerator: IN_WINDOW_PANIC, click: () => trigger('menu') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));

  let registered: string | null = null;
  const setGlobalChord = (chord: string): boolean => {
    if (chord === registered) return true;
    const problem = globalPanicChordProblem(chord);
    if (problem) {
      options.notify('Panic chord refused', `${chord} ${problem}. ${registered ? `${registered} stays the system-wide panic.` : 'Use the Flatten button or menu.'}`, true);
      return false;
    }
    if (!globalShortcut.register(chord, () => trigger('shortcut'))) {
      options.notify('Panic chord unavailable', `${chord} is taken by another application. ${registered ? `${registered} stays the system-wide panic.` : 'Use the Flatten button or menu.'}`, true);
      return false;
    }
    if (registered) globalShortcut.unregister(registered);
    registered = chord;
    return true;
  };
  setGlobalChord(options.globalChord);
  return {
    get globalChord() {
      return registered;
    },
    setGlobalChord,
  };
}
