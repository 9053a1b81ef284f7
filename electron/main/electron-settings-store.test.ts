import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { ElectronSettingsStore } from './electron-settings-store';

function backend(initial?: unknown) {
  const data = new Map<string, unknown>(initial === undefined ? [] : [['settings', initial]]);
  return { get: (key: 'settings') => data.get(key), set: (key: 'settings', value: Settings) => void data.set(key, value), data };
}

describe('settings in electron-store', () => {
  it('starts from the defaults', () => {
    expect(new ElectronSettingsStore(backend()).load()).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps what was saved', () => {
    const store = backend();
    const changed: Settings = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.005 } };
    new ElectronSettingsStore(store).save(changed);
    expect(new ElectronSettingsStore(store).load().risk.riskPerTrade).toBe(0.005);
  });

  it('starts a damaged file on the defaults, and says which fields were wrong instead of doing it silently', () => {
    const damaged = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.5 } };
    const store = new ElectronSettingsStore(backend(damaged));
    expect(store.load()).toEqual(DEFAULT_SETTINGS);
    expect(store.problem).toEqual({ problem: expect.stringContaining('risk.riskPerTrade'), movedTo: null });
  });

  it('never writes invalid settings', () => {
    const store = backend();
    const invalid = { ...DEFAULT_SETTINGS, symbols: [] } as Settings;
    expect(() => new ElectronSettingsStore(store).save(invalid)).toThrow();
    expect(store.data.has('settings')).toBe(false);
  });
});
