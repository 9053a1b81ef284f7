import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BreakerStateFile } from './breaker-state-file';
import { EMPTY_LEDGER } from './ledger';

const file = (account: Parameters<typeof BreakerStateFile.forAccount>[1]) => path.basename(BreakerStateFile.forAccount('/data', account).file);

describe('the breaker state file of an account', () => {
  it('is one file per account: paper, each live exchange, and each of its networks', () => {
    expect(file({ mode: 'paper', id: 'paper' })).toBe('breakers-paper.json');
    expect(file({ mode: 'live', id: 'binanceusdm' })).toBe('breakers-live-binanceusdm.json');
    expect(file({ mode: 'live', id: 'binanceusdm', network: 'testnet' })).toBe('breakers-live-binanceusdm-testnet.json');
    expect(file({ mode: 'live', id: 'binanceusdm', network: 'demo' })).toBe('breakers-live-binanceusdm-demo.json');
    expect(file({ mode: 'live', id: 'bybit' })).toBe('breakers-live-bybit.json');
    expect(file({ mode: 'live', id: 'binanceusdm', network: '127.0.0.1:4321' })).toBe('breakers-live-binanceusdm-127.0.0.1_4321.json');
  });

  it('lives in the data folder', () => {
    expect(path.dirname(BreakerStateFile.forAccount('/data', { mode: 'paper', id: 'paper' }).file)).toBe('/data');
  });
});

describe('the shared breakers.json of earlier versions', () => {
  const tripped = { state: 'tripped', action: 'block-entries', trippedAt: 1, until: null, reason: 'daily loss', value: 6 };
  const legacy = (records: Record<string, unknown>) => ({
    version: 1,
    records,
    ledger: { day: { start: 0, equity: 10_000 }, week: null, peakEquity: 10_000, lossStreak: { count: 0, lastLossAt: null } },
  });
  const setUp = (content: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-state-'));
    fs.writeFileSync(path.join(dir, 'breakers.json'), content);
    return { dir, state: BreakerStateFile.forAccount(dir, { mode: 'paper', id: 'paper' }) };
  };

  it('gives a fresh start, its equity baselines dropped, when it held no trip', () => {
    const { dir, state } = setUp(JSON.stringify(legacy({ 'daily-loss': { ...tripped, state: 'armed' } })));
    expect(state.load()).toEqual({ ok: true, state: { records: {}, ledger: EMPTY_LEDGER } });
    expect(fs.existsSync(path.join(dir, 'breakers.json'))).toBe(true);
  });

  it('is reported like an unreadable file when it held a trip, to every account that has no file of its own yet', () => {
    const { dir, state } = setUp(JSON.stringify(legacy({ 'daily-loss': tripped })));
    const shared = path.join(dir, 'breakers.json');
    expect(state.load()).toEqual({ ok: false, problem: expect.stringMatching(/held a trip/), file: shared, movedAside: false });
    const live = BreakerStateFile.forAccount(dir, { mode: 'live', id: 'binanceusdm' });
    expect(live.load()).toMatchObject({ ok: false, file: shared });
    expect(fs.existsSync(shared), 'left in place for the other accounts').toBe(true);
  });

  it('counts as holding a trip when it cannot be read', () => {
    const { state } = setUp('{ not json');
    expect(state.load().ok).toBe(false);
  });

  it('is left alone once the account has a file of its own', () => {
    const { dir, state } = setUp(JSON.stringify(legacy({ 'daily-loss': tripped })));
    state.save({ records: {}, ledger: EMPTY_LEDGER });
    expect(state.load().ok).toBe(true);
    expect(fs.existsSync(path.join(dir, 'breakers.json'))).toBe(true);
  });
});

describe('the per-exchange breaker file of versions before one account per key', () => {
  const tripped = { state: 'tripped', action: 'flatten', trippedAt: 1, until: null, reason: 'drawdown', value: 12 };
  const content = (records: Record<string, unknown>) =>
    JSON.stringify({ version: 1, records, ledger: { day: { start: 0, equity: 10_000 }, week: null, peakEquity: 10_000, lossStreak: { count: 0, lastLossAt: null } } });
  const account = (keyFingerprint: string) => ({ mode: 'live' as const, id: 'binanceusdm', keyFingerprint });

  it('is still found: a trip it held blocks every key on that exchange that has no file of its own yet', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-state-'));
    const earlier = path.join(dir, 'breakers-live-binanceusdm.json');
    fs.writeFileSync(earlier, content({ drawdown: tripped }));
    for (const key of ['aaaaaaaaaaaa', 'bbbbbbbbbbbb']) {
      expect(BreakerStateFile.forAccount(dir, account(key)).load()).toEqual({ ok: false, problem: expect.stringMatching(/breakers-live-binanceusdm\.json of an earlier version held a trip/), file: earlier, movedAside: false });
    }
    expect(fs.existsSync(earlier)).toBe(true);
  });

  it('gives a fresh start when it held no trip, and is left alone once the key has a file of its own', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-state-'));
    fs.writeFileSync(path.join(dir, 'breakers-live-binanceusdm.json'), content({ drawdown: { ...tripped, state: 'armed' } }));
    const state = BreakerStateFile.forAccount(dir, account('aaaaaaaaaaaa'));
    expect(state.load()).toEqual({ ok: true, state: { records: {}, ledger: EMPTY_LEDGER } });
    fs.writeFileSync(path.join(dir, 'breakers-live-binanceusdm.json'), content({ drawdown: tripped }));
    state.save({ records: {}, ledger: EMPTY_LEDGER });
    expect(state.load().ok).toBe(true);
  });

  it('saves the state readable by its owner only (0600)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-state-'));
    const state = BreakerStateFile.forAccount(dir, account('aaaaaaaaaaaa'));
    state.save({ records: {}, ledger: EMPTY_LEDGER });
    expect(fs.statSync(state.file).mode & 0o777).toBe(0o600);
  });
});
