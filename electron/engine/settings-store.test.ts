import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { MemoryCredentialVault } from './credential-vault';
import { Engine } from './engine';
import { createPaperAdapter } from './exchange/paper-adapter';
import { JsonFileSettingsStore } from './settings-store';
import { FailingDisk, WRITE_FAILURES } from './testing/failing-disk';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'settings-'));
const changed: Settings = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.005 } };

describe('settings in a JSON file', () => {
  it('keeps what was saved, replacing the file through a temp file it leaves nothing of', () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    new JsonFileSettingsStore(file).save(changed);
    expect(new JsonFileSettingsStore(file).load().risk.riskPerTrade).toBe(0.005);
    expect(fs.readdirSync(dir)).toEqual(['settings.json']);
  });

  it.each(WRITE_FAILURES)('leaves the saved settings whole when a save fails with %s', (code) => {
    const file = path.join(tempDir(), 'settings.json');
    const disk = new FailingDisk();
    const store = new JsonFileSettingsStore(file, disk.disk);
    store.save(changed);
    disk.fail(code, { calls: ['writeSync', 'fsyncSync'] });
    expect(() => store.save(DEFAULT_SETTINGS)).toThrow(code);
    expect(new JsonFileSettingsStore(file).load()).toEqual(changed);
    expect(fs.existsSync(`${file}.tmp`)).toBe(false);
  });

  it.each([
    ['torn', '{"symbols":["BTC/USDT:USDT"],"risk":{"riskPer'],
    ['invalid', JSON.stringify({ ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.5 } })],
  ])('moves a %s file aside and starts on the defaults, saying why', (_kind, content) => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    fs.writeFileSync(file, content);
    const store = new JsonFileSettingsStore(file);
    expect(store.load()).toEqual(DEFAULT_SETTINGS);
    expect(store.problem).toEqual({ problem: expect.any(String), movedTo: expect.stringMatching(/settings\.json\.unreadable-\d+$/) });
    expect(fs.readFileSync(store.problem!.movedTo!, 'utf8')).toBe(content);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('an engine over unreadable settings and an unreadable execution ledger starts, journals both and tells the user', async () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, 'settings.json'), '{"symbols":[');
    fs.writeFileSync(path.join(dataDir, 'executions-paper.json'), '[{"symbol":"BTC/USDT:USDT","sta');
    const paper = createPaperAdapter({ manualClock: true, seed: 3 });
    const engine = new Engine({ dataDir, adapter: paper, settingsStore: new JsonFileSettingsStore(path.join(dataDir, 'settings.json')), vault: new MemoryCredentialVault(), diskProbeMs: 0 });
    try {
      await engine.start();
      expect(await engine.handlers['settings.get']({})).toEqual(DEFAULT_SETTINGS);
      const types = (await engine.handlers['journal.tail']({ limit: 100 })).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['settings.unreadable', 'execution-ledger.unreadable', 'reconcile']));
      const notified = (await engine.handlers['journal.tail']({ filter: 'notification' })).map((e) => (e.data as { title: string }).title);
      expect(notified).toEqual(expect.arrayContaining(['Settings unreadable: started on safe defaults', 'Execution ledger unreadable']));
      expect(fs.readdirSync(dataDir).filter((f) => f.includes('.unreadable-'))).toHaveLength(2);
    } finally {
      await engine.stop();
    }
  });
});
