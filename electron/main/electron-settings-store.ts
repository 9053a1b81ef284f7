import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { settingsProblem, validateSettings, type SettingsProblem, type SettingsStore } from '../engine/settings-store';

/** The slice of electron-store the settings need. */
export interface SettingsBackend {
  get(key: 'settings'): unknown;
  set(key: 'settings', value: Settings): void;
}

/**
 * Settings kept in electron-store (which replaces its file atomically), validated against the
 * shared schema on the way in and on the way out. Damaged settings are never silently replaced:
 * the engine starts on the defaults, and {@link problem} (journalled and shown to the user) says why.
 */
export class ElectronSettingsStore implements SettingsStore {
  problem: SettingsProblem | null = null;

  constructor(private readonly backend: SettingsBackend) {}

  load(): Settings {
    const stored = this.backend.get('settings');
    if (stored === undefined) return structuredClone(DEFAULT_SETTINGS);
    try {
      return validateSettings(stored);
    } catch (error) {
      this.problem = { problem: settingsProblem(error), movedTo: null };
      return structuredClone(DEFAULT_SETTINGS);
    }
  }

  save(settings: Settings): void {
    this.backend.set('settings', validateSettings(settings));
  }
}
