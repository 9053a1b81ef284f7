import { DEFAULT_SETTINGS, settingsFieldErrors, settingsSchema, type Settings } from '../../shared/settings';
import { CommandError } from './errors';
import { readJsonFile, writeFileAtomic } from './persistence/atomic-file';
import { nodeDisk, type Disk } from './persistence/disk';
import { errorMessage } from '../../shared/error-message';

/** Stored settings that could not be used: the engine started on the defaults instead. */
export interface SettingsProblem {
  problem: string;
  /** Where the unusable settings are now; null when they stayed where they were. */
  movedTo: string | null;
}

/** Where settings live: electron-store in Electron, a JSON file in headless mode. */
export interface SettingsStore {
  /** The stored settings; when they cannot be read or are invalid, the defaults, and {@link problem} says why. Never throws. */
  load(): Settings;
  save(settings: Settings): void;
  /** Set by {@link load} when it fell back to the defaults: the engine journals it and tells the user. */
  readonly problem?: SettingsProblem | null;
}

/** Validates settings against the shared schema; an invalid value is a field error, never a silent default. */
export function validateSettings(candidate: unknown): Settings {
  const parsed = settingsSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new CommandError('invalid-input', 'Settings rejected', { fields: settingsFieldErrors(parsed.error) });
  }
  return parsed.data;
}

/** Why stored settings were rejected, in words: the field errors when there are some. */
export function settingsProblem(error: unknown): string {
  const fields = error instanceof CommandError ? (error.extra.fields as Record<string, string> | undefined) : undefined;
  return fields ? Object.entries(fields).map(([field, message]) => `${field}: ${message}`).join('; ') : errorMessage(error);
}

/**
 * Settings in a JSON file (headless), replaced atomically (temp file, fsync, rename). A torn or
 * invalid file is moved aside to `settings.json.unreadable-<time>` and the defaults apply.
 */
export class JsonFileSettingsStore implements SettingsStore {
  problem: SettingsProblem | null = null;

  constructor(
    private readonly file: string,
    private readonly disk: Disk = nodeDisk,
  ) {}

  load(): Settings {
    const read = readJsonFile(this.disk, this.file, (value) => {
      try {
        return validateSettings(value);
      } catch (error) {
        throw new Error(settingsProblem(error));
      }
    });
    if (read.kind === 'read') return read.value;
    if (read.kind === 'unreadable') this.problem = { problem: read.problem, movedTo: read.movedTo };
    return structuredClone(DEFAULT_SETTINGS);
  }

  save(settings: Settings): void {
    writeFileAtomic(this.disk, this.file, JSON.stringify(settings, null, 2));
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
