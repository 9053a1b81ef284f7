import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry, Notification } from '../../shared/domain';
import { MemoryCredentialVault } from './credential-vault';
import { Engine } from './engine';
import { AccountSetupError } from './exchange/errors';
import { createPaperAdapter } from './exchange/paper-adapter';
import { MemorySettingsStore } from './settings-store';

let engine: Engine | null = null;
let dataDir = '';
afterEach(async () => {
  await engine?.stop();
  engine = null;
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startFailingWith(error: Error): Promise<Notification> {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-start-'));
  const paper = createPaperAdapter({ manualClock: true, seed: 2 });
  const adapter = { ...paper, loadMarkets: () => Promise.reject(error) };
  engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
  await engine.start();
  const entries = fs.readFileSync(path.join(dataDir, 'journal', 'journal.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as JournalEntry);
  return entries.find((e) => e.type === 'notification')!.data as Notification;
}

describe('a start that fails', () => {
  it('says the account is not usable, with the exchange’s reason, when the account is set up wrong (hedge mode)', async () => {
    const notification = await startFailingWith(new AccountSetupError('The binanceusdm account is in hedge mode … Switch the account to one-way mode'));
    expect(notification).toMatchObject({ level: 'critical', title: 'Exchange account not usable', message: expect.stringContaining('Switch the account to one-way mode') });
  });

  it('says the exchange is not reachable when it does not answer', async () => {
    const notification = await startFailingWith(new Error('connect ECONNREFUSED 127.0.0.1:443'));
    expect(notification).toMatchObject({ level: 'critical', title: 'Exchange not reachable' });
  });
});
