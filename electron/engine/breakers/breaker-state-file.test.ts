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
