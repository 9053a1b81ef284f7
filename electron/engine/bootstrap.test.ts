import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, createExchangeAdapter } from './bootstrap';
import { MemoryCredentialVault } from './credential-vault';
import type { ExchangeAdapter } from './exchange/adapter';
import { MemorySettingsStore } from './settings-store';

const opened: ExchangeAdapter[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((adapter) => adapter.close()));
  dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
});

describe('choosing the venue', () => {
  it('trades on paper unless an exchange is named', async () => {
    const adapter = await createExchangeAdapter({ vault: new MemoryCredentialVault(), paper: { seed: 3, startBalance: 2_500 } });
    opened.push(adapter);
    expect(adapter.mode).toBe('paper');
    expect((await adapter.fetchBalance()).walletBalance).toBe(2_500);
  });

  it('goes live on the named exchange with the keys from the vault', async () => {
    const vault = new MemoryCredentialVault({ exchange: 'binanceusdm', apiKey: 'key-12345678', apiSecret: 'secret-12345678', testnet: false });
    const adapter = await createExchangeAdapter({ vault, live: { exchange: 'binanceusdm', exchangeUrl: 'http://127.0.0.1:9' } });
    opened.push(adapter);
    expect(adapter.mode).toBe('live');
    expect(adapter.id).toBe('binanceusdm');
    expect((adapter as unknown as { exchange: { apiKey: string } }).exchange.apiKey).toBe('key-12345678');
  });
});

describe('the engine both hosts run', () => {
  it('starts in paper mode by default and journals it', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-boot-'));
    dirs.push(dataDir);
    const engine = await createEngine({ dataDir, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
    await engine.start();
    expect(await engine.handlers['engine.ping']({ nonce: 'n' })).toMatchObject({ nonce: 'n' });
    await engine.stop();
    const journal = fs.readFileSync(path.join(dataDir, 'journal/journal.jsonl'), 'utf8');
    expect(journal).toContain('"type":"engine.start","data":{"mode":"paper"');
  });
});
