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

  it('refuses a damaged file with field errors instead of silently using defaults', () => {
    const damaged = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.5 } };
    expect(() => new ElectronSettingsStore(backend(damaged)).load()).toThrow(
      expect.objectContaining({ type: 'invalid-input', extra: { fields: expect.objectContaining({ 'risk.riskPerTrade': expect.any(String) }) } }),
    );
  });

  it('never writes invalid settings', () => {
    const store = backend();
    const invalid = { ...DEFAULT_SETTINGS, symbols: [] } as Settings;
    expect(() => new ElectronSettingsStore(store).save(invalid)).toThrow();
    expect(store.data.has('settings')).toBe(false);
  });
});
