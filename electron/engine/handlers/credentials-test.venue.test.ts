import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startVenue, type Venue } from '../../venue/server';
import { MemoryCredentialVault, type Credentials } from '../credential-vault';
import { Engine } from '../engine';
import type { ExchangeAdapter } from '../exchange/adapter';
import { createCcxtAdapter } from '../exchange/ccxt-adapter';
import { createPaperAdapter } from '../exchange/paper-adapter';
import { MemorySettingsStore } from '../settings-store';

describe('"Test connection" tries the stored keys on their exchange (against the venue)', () => {
  let venue: Venue;
  const engines: Engine[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    venue = await startVenue({ speed: 1 });
  });
  afterEach(async () => {
    for (const engine of engines.splice(0)) await engine.stop();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await venue.close();
  });

  const keys = (over: Partial<Credentials> = {}): Credentials => ({ exchange: 'binanceusdm', apiKey: venue.apiKey, apiSecret: venue.apiSecret, testnet: false, demo: false, ...over });

  function engineWith(vault: MemoryCredentialVault, adapter: ExchangeAdapter = createPaperAdapter({ manualClock: true, seed: 3 })) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'credentials-test-'));
    dirs.push(dataDir);
    const engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(), vault, exchangeUrl: venue.url });
    engines.push(engine);
    return engine;
  }

  it('in paper mode, where keys are entered: the right key and secret pass, with the wallet read', async () => {
    const engine = engineWith(new MemoryCredentialVault(keys()));
    const wallet = venue.exchange.account().walletBalance;
    expect(await engine.handlers['credentials.test']({})).toEqual({ ok: true, message: `The keys work on binanceusdm (real account): wallet ${wallet.toFixed(2)} USDT.` });
  });

  it('a wrong secret fails with the exchange’s own reason, and never shows the keys', async () => {
    const wrong = keys({ apiSecret: 'not-the-venue-secret-0123456789' });
    const result = await engineWith(new MemoryCredentialVault(wrong)).handlers['credentials.test']({});
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/^The keys do not work on binanceusdm \(real account\): .*-1022.*Signature for this request is not valid/);
    expect(result.message).not.toContain(wrong.apiSecret);
    expect(result.message).not.toContain(wrong.apiKey);
  });

  it('a key the exchange does not know fails too', async () => {
    const result = await engineWith(new MemoryCredentialVault(keys({ apiKey: 'unknown-key-0123456789' }))).handlers['credentials.test']({});
    expect(result.ok).toBe(false);
    expect(result.message).not.toContain('unknown-key-0123456789');
  });

  it('in live mode, tests the keys stored now, not those the running adapter started with', async () => {
    const running = createCcxtAdapter({ exchange: 'binanceusdm', credentials: { apiKey: venue.apiKey, apiSecret: venue.apiSecret }, exchangeUrl: venue.url, enableRateLimit: false });
    const vault = new MemoryCredentialVault(keys());
    const engine = engineWith(vault, running);
    expect((await engine.handlers['credentials.test']({})).ok).toBe(true);
    vault.set({ ...keys(), apiSecret: 'replaced-by-the-user-0123456789' });
    expect((await engine.handlers['credentials.test']({})).ok).toBe(false);
  });
});
