import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SETTINGS, settingsFieldErrors, settingsSchema, type Settings } from '../../shared/settings';
import { CommandError } from './errors';
import { OWNER_ONLY_FILE_MODE } from './owner-only-file';

/** Where settings live: electron-store in Electron, a JSON file in headless mode. */
export interface SettingsStore {
  load(): Settings;
  save(settings: Settings): void;
}

/** Validates settings against the shared schema; an invalid value is a field error, never a silent default. */
export function validateSettings(candidate: unknown): Settings {
  const parsed = settingsSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new CommandError('invalid-input', 'Settings rejected', { fields: settingsFieldErrors(parsed.error) });
  }
  return parsed.data;
}

export class JsonFileSettingsStore implements SettingsStore {
  constructor(private readonly file: string) {}

  load(): Settings {
    if (!fs.existsSync(this.file)) return structuredClone(DEFAULT_SETTINGS);
    return validateSettings(JSON.parse(fs.readFileSync(this.file, 'utf8')));
  }

  save(settings: Settings): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(settings, null, 2), { mode: OWNER_ONLY_FILE_MODE });
    fs.renameSync(tmp, this.file);
  }
}

export class MemorySettingsStore implements SettingsStore {
  private settings: Settings;
  constructor(initial: Settings = DEFAULT_SETTINGS) {
    this.settings = structuredClone(initial);
  }
  load(): Settings {
    return structuredClone(this.settings);
  }
  save(settings: Settings): void {
    this.settings = structuredClone(settings);
  }
}
