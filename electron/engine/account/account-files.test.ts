import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountFile, accountKey, claimAccountFile, earlierAccountFile } from './account-files';
import { keyFingerprint } from './key-fingerprint';

describe('the files of an account', () => {
  it('are named after the account: paper, each live exchange, and each of its networks and practice accounts', () => {
    expect(accountKey({ mode: 'paper', id: 'paper' })).toBe('paper');
    expect(accountKey({ mode: 'live', id: 'binanceusdm' })).toBe('live-binanceusdm');
    expect(accountKey({ mode: 'live', id: 'binanceusdm', network: 'demo' })).toBe('live-binanceusdm-demo');
    expect(accountKey({ mode: 'live', id: 'bybit', network: 'testnet' })).toBe('live-bybit-testnet');
    expect(accountKey({ mode: 'live', id: 'binanceusdm', network: '127.0.0.1:4321-demo' })).toBe('live-binanceusdm-127.0.0.1_4321_demo');
  });

  it('sit in the data folder, one per kind and account', () => {
    expect(accountFile('/data', 'trades', { mode: 'live', id: 'okx', network: 'demo' })).toBe(path.join('/data', 'trades-live-okx-demo.json'));
    expect(accountFile('/data', 'executions', { mode: 'paper', id: 'paper' })).toBe(path.join('/data', 'executions-paper.json'));
  });
});

describe('one account per key', () => {
  const keyA = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
  const keyB = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
  const live = (apiKey: string) => ({ mode: 'live' as const, id: 'binanceusdm', keyFingerprint: keyFingerprint(apiKey) });

  it('fingerprints a key in 12 hex digits that never contain the key', () => {
    expect(keyFingerprint(keyA)).toMatch(/^[0-9a-f]{12}$/);
    expect(keyFingerprint(keyA)).toBe(keyFingerprint(keyA));
    expect(keyFingerprint(keyA)).not.toBe(keyFingerprint(keyB));
    expect(keyA).not.toContain(keyFingerprint(keyA));
  });

  it('gives two keys on one exchange two sets of files, and the same key the same files', () => {
    for (const kind of ['breakers', 'trades', 'executions']) {
      expect(accountFile('/data', kind, live(keyA))).not.toBe(accountFile('/data', kind, live(keyB)));
      expect(accountFile('/data', kind, live(keyA))).toBe(accountFile('/data', kind, { ...live(keyA) }));
    }
    expect(accountKey(live(keyA))).toBe(`live-binanceusdm-k${keyFingerprint(keyA)}`);
    expect(accountKey({ ...live(keyA), network: 'demo' })).toBe(`live-binanceusdm-demo-k${keyFingerprint(keyA)}`);
    expect(accountKey(live(keyA))).not.toContain(keyA);
  });

  it('takes over the file an earlier version kept without the fingerprint, once: a second key starts with its own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'account-files-'));
    const earlier = earlierAccountFile(dir, 'trades', live(keyA))!;
    expect(earlier).toBe(path.join(dir, 'trades-live-binanceusdm.json'));
    expect(earlierAccountFile(dir, 'trades', { mode: 'paper', id: 'paper' })).toBeNull();
    fs.writeFileSync(earlier, '[]');
    const mine = claimAccountFile(dir, 'trades', live(keyA));
    expect(fs.readFileSync(mine, 'utf8')).toBe('[]');
    expect(fs.existsSync(earlier)).toBe(false);
    const other = claimAccountFile(dir, 'trades', live(keyB));
    expect(other).not.toBe(mine);
    expect(fs.existsSync(other)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
