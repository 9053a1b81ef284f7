import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { JsonFileSettingsStore } from './settings-store';

describe('the settings file of npm run headless', () => {
  it('is created readable by its owner only (0600)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settings-store-'));
    const store = new JsonFileSettingsStore(path.join(dir, 'settings.json'));
    store.save(DEFAULT_SETTINGS);
    expect(fs.statSync(path.join(dir, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(store.load()).toEqual(DEFAULT_SETTINGS);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
