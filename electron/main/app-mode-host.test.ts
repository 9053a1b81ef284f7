import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CredentialStatus } from '../../shared/domain';
import type { ModeChoice } from '../engine/mode-host';
import { ModeChoiceStore } from './mode-choice-store';

const steps = vi.hoisted(() => [] as string[]);
vi.mock('electron', () => ({
  app: {
    relaunch: () => void steps.push('relaunch'),
    exit: (code: number) => void steps.push(`exit ${code}`),
  },
}));

const { appRelauncher, createAppModeHost } = await import('./app-mode-host');

const KEYS: CredentialStatus = { exchange: 'binanceusdm', stored: true, maskedKey: 'AKIA…0KEY', encryption: 'os', testnet: false, demo: true };

function memoryStore(initial?: ModeChoice) {
  let value: unknown = initial;
  return new ModeChoiceStore({ get: () => value, set: (_key, choice) => void (value = choice) });
}

beforeEach(() => {
  steps.length = 0;
});

describe("Electron's side of the mode switch", () => {
  it('persists the choice, and the next start resolves it against the stored keys', () => {
    let keys = KEYS;
    const store = memoryStore();
    const host = createAppModeHost({ env: {}, store, vault: { status: () => keys }, restart: () => {} });
    expect(host.nextMode()).toEqual({ mode: 'paper' });
    host.setMode({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    expect(store.load()).toEqual({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    expect(host.nextMode()).toEqual({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    keys = { exchange: null, stored: false, maskedKey: null, encryption: 'none', testnet: false, demo: false };
    expect(host.nextMode()).toEqual({ mode: 'paper' });
  });

  it('switches back from live to paper', () => {
    const store = memoryStore({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    const host = createAppModeHost({ env: {}, store, vault: { status: () => KEYS }, restart: () => {} });
    host.setMode({ mode: 'paper' });
    expect(host.nextMode()).toEqual({ mode: 'paper' });
  });

  it('is pinned while COCKPIT_EXCHANGE chooses live', () => {
    const host = createAppModeHost({ env: { COCKPIT_EXCHANGE: 'okx' }, store: memoryStore(), vault: { status: () => KEYS }, restart: () => {} });
    expect(host.lockedReason()).toMatch(/COCKPIT_EXCHANGE=okx/);
    expect(host.nextMode()).toEqual({ mode: 'live', exchange: 'okx', testnet: false, demo: false });
  });
});

describe('restarting the app into the chosen mode', () => {
  it('waits for the answer, shuts the engine down, then relaunches and exits cleanly', async () => {
    let later: (() => void) | null = null;
    const restart = appRelauncher({
      shutdown: async () => void steps.push('shutdown'),
      defer: (run) => void (later = run),
    });
    restart();
    expect(steps).toEqual([]);
    later!();
    await vi.waitFor(() => expect(steps).toEqual(['shutdown', 'relaunch', 'exit 0']));
  });

  it('still relaunches when the shutdown fails', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const restart = appRelauncher({ shutdown: async () => Promise.reject(new Error('adapter close failed')), defer: (run) => run() });
    restart();
    await vi.waitFor(() => expect(steps).toEqual(['relaunch', 'exit 0']));
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('restarts once, however often it is asked', async () => {
    let shutdowns = 0;
    const restart = appRelauncher({ shutdown: async () => void shutdowns++, defer: (run) => run() });
    restart();
    restart();
    await vi.waitFor(() => expect(steps).toEqual(['relaunch', 'exit 0']));
    expect(shutdowns).toBe(1);
  });
});
