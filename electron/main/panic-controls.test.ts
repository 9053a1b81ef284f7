import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { FlattenReport } from '../../shared/domain';
import { fail, ok, type Result } from '../../shared/result';

interface MenuItem {
  label?: string;
  role?: string;
  accelerator?: string;
  click?: () => void;
  submenu?: MenuItem[];
}

const electron = vi.hoisted(() => {
  const state = { shortcuts: new Map<string, () => void>(), shortcutFree: true, menu: [] as MenuItem[] };
  return {
    state,
    app: { name: 'Leverage Cockpit' },
    globalShortcut: {
      register: (accelerator: string, callback: () => void) => {
        if (!state.shortcutFree) return false;
        state.shortcuts.set(accelerator, callback);
        return true;
      },
      unregister: (accelerator: string) => state.shortcuts.delete(accelerator),
    },
    Menu: { buildFromTemplate: (template: MenuItem[]) => template, setApplicationMenu: (menu: MenuItem[]) => (state.menu = menu) },
  };
});
vi.mock('electron', () => ({ app: electron.app, globalShortcut: electron.globalShortcut, Menu: electron.Menu }));

const { installPanicControls } = await import('./panic-controls');
const CHORD = 'CommandOrControl+Alt+Shift+F';

const report = (flat: boolean): FlattenReport => ({
  id: 'f1',
  reason: 'panic',
  startedAt: 0,
  finishedAt: 1,
  attempts: 1,
  flat,
  symbols: [],
  remaining: flat ? [] : ['BTC/USDT:USDT: 0.5 contracts still open'],
});

function flattenItem(): MenuItem | undefined {
  return electron.state.menu.flatMap((m) => m.submenu ?? []).find((item) => item.label === 'Flatten everything');
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  electron.state.shortcuts.clear();
  electron.state.shortcutFree = true;
  electron.state.menu = [];
});

describe('the panic controls', () => {
  it('flattens from the global shortcut and tells the user the account is flat', async () => {
    const flatten = vi.fn(async (_reason: string): Promise<Result<FlattenReport>> => ok(report(true)));
    const notify = vi.fn();
    expect(installPanicControls({ flatten, notify, globalChord: CHORD }).globalChord).toBe(CHORD);
    electron.state.shortcuts.get(CHORD)!();
    await settle();
    expect(flatten).toHaveBeenCalledWith('panic shortcut');
    expect(notify).toHaveBeenCalledWith('Flat', expect.any(String), false);
  });

  it('flattens from the app menu and reports what remains when not flat', async () => {
    const flatten = vi.fn(async (): Promise<Result<FlattenReport>> => ok(report(false)));
    const notify = vi.fn();
    installPanicControls({ flatten, notify, globalChord: CHORD });
    flattenItem()!.click!();
    await settle();
    expect(flatten).toHaveBeenCalledWith('panic menu');
    expect(notify).toHaveBeenCalledWith('Flatten incomplete', expect.stringContaining('0.5 contracts'), true);
  });

  it('reports a failed flatten as critical', async () => {
    const notify = vi.fn();
    installPanicControls({ flatten: async () => fail('exchange', 'exchange unreachable'), notify, globalChord: CHORD });
    electron.state.shortcuts.get(CHORD)!();
    await settle();
    expect(notify).toHaveBeenCalledWith('Flatten failed', 'exchange unreachable', true);
  });

  it('warns when another app owns the chord, and keeps the menu item', () => {
    electron.state.shortcutFree = false;
    const notify = vi.fn();
    expect(installPanicControls({ flatten: async () => ok(report(true)), notify, globalChord: CHORD }).globalChord).toBeNull();
    expect(notify).toHaveBeenCalledWith('Panic chord unavailable', expect.stringContaining(CHORD), true);
    expect(flattenItem()).toBeDefined();
  });

  it('keeps Ctrl+Shift+X for the window only: it is the menu item’s accelerator, never registered system-wide', () => {
    installPanicControls({ flatten: async () => ok(report(true)), notify: vi.fn(), globalChord: CHORD });
    expect(flattenItem()!.accelerator).toBe('CommandOrControl+Shift+X');
    expect([...electron.state.shortcuts.keys()]).toEqual([CHORD]);
  });

  it('refuses a chord that collides with the window’s shortcuts, and registers nothing for it', () => {
    const notify = vi.fn();
    const controls = installPanicControls({ flatten: async () => ok(report(true)), notify, globalChord: 'CommandOrControl+Shift+X' });
    expect(controls.globalChord).toBeNull();
    expect(electron.state.shortcuts.size).toBe(0);
    expect(notify).toHaveBeenCalledWith('Panic chord refused', expect.stringContaining('collides with CommandOrControl+Shift+X'), true);
  });

  it('swaps the chord when the settings change: the new one flattens, the old one is let go', async () => {
    const flatten = vi.fn(async (_reason: string): Promise<Result<FlattenReport>> => ok(report(true)));
    const controls = installPanicControls({ flatten, notify: vi.fn(), globalChord: CHORD });
    expect(controls.setGlobalChord('Ctrl+Alt+P')).toBe(true);
    expect([...electron.state.shortcuts.keys()]).toEqual(['Ctrl+Alt+P']);
    electron.state.shortcuts.get('Ctrl+Alt+P')!();
    await settle();
    expect(flatten).toHaveBeenCalledWith('panic shortcut');
  });

  it('keeps the old chord when the new one cannot be had', () => {
    const notify = vi.fn();
    const controls = installPanicControls({ flatten: async () => ok(report(true)), notify, globalChord: CHORD });
    electron.state.shortcutFree = false;
    expect(controls.setGlobalChord('Ctrl+Alt+P')).toBe(false);
    expect(controls.globalChord).toBe(CHORD);
    expect([...electron.state.shortcuts.keys()]).toEqual([CHORD]);
    expect(notify).toHaveBeenCalledWith('Panic chord unavailable', expect.stringContaining(`${CHORD} stays the system-wide panic`), true);
    expect(controls.setGlobalChord('Ctrl+Z')).toBe(false);
    expect(controls.setGlobalChord(CHORD)).toBe(true);
  });
});
