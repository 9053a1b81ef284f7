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
    },
    Menu: { buildFromTemplate: (template: MenuItem[]) => template, setApplicationMenu: (menu: MenuItem[]) => (state.menu = menu) },
  };
});
vi.mock('electron', () => ({ app: electron.app, globalShortcut: electron.globalShortcut, Menu: electron.Menu }));

const { FLATTEN_ACCELERATOR, installPanicControls } = await import('./panic-controls');

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
    expect(installPanicControls({ flatten, notify })).toBe(true);
    electron.state.shortcuts.get(FLATTEN_ACCELERATOR)!();
    await settle();
    expect(flatten).toHaveBeenCalledWith('panic shortcut');
    expect(notify).toHaveBeenCalledWith('Flat', expect.any(String), false);
  });

  it('flattens from the app menu and reports what remains when not flat', async () => {
    const flatten = vi.fn(async (): Promise<Result<FlattenReport>> => ok(report(false)));
    const notify = vi.fn();
    installPanicControls({ flatten, notify });
    flattenItem()!.click!();
    await settle();
    expect(flatten).toHaveBeenCalledWith('panic menu');
    expect(notify).toHaveBeenCalledWith('Flatten incomplete', expect.stringContaining('0.5 contracts'), true);
  });

  it('reports a failed flatten as critical', async () => {
    const notify = vi.fn();
    installPanicControls({ flatten: async () => fail('exchange', 'exchange unreachable'), notify });
    electron.state.shortcuts.get(FLATTEN_ACCELERATOR)!();
    await settle();
    expect(notify).toHaveBeenCalledWith('Flatten failed', 'exchange unreachable', true);
  });

  it('warns when another app owns the shortcut, and keeps the menu item', () => {
    electron.state.shortcutFree = false;
    const notify = vi.fn();
    expect(installPanicControls({ flatten: async () => ok(report(true)), notify })).toBe(false);
    expect(notify).toHaveBeenCalledWith('Panic shortcut unavailable', expect.stringContaining(FLATTEN_ACCELERATOR), true);
    expect(flattenItem()).toBeDefined();
  });
});
