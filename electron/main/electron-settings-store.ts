import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { validateSettings, type SettingsStore } from '../engine/settings-store';

/** The slice of electron-store the settings need. */
export interface SettingsBackend {
  get(key: 'settings'): unknown;
  set(key: 'settings', value: Settings): void;
}

/**
 * Settings kept in electron-store, validated against the shared schema on the
 * way in and on the way out: a damaged file is an error, never a silent default.
 */
export class ElectronSettingsStore implements SettingsStore {
  constructor(private readonly backend: SettingsBackend) {}

  load(): Settings {
    const stored = this.backend.get('settings');
    return stored === undefined ? structuredClone(DEFAULT_SETTINGS) : validateSettings(stored);
  }

  save(settings: Settings): void {
    this.backend.set('settings', validateSettings(settings));
  }
}
