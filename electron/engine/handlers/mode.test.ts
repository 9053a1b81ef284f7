import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../shared/domain';
import { roundDownToStep } from '../../../shared/risk/precision';
import { MemoryCredentialVault } from '../credential-vault';
import { dispatch } from '../dispatch';
import { Engine } from '../engine';
import type { ExchangeAdapter } from '../exchange/adapter';
import { createPaperAdapter, type PaperAdapter } from '../exchange/paper-adapter';
import type { ModeChoice, ModeHost } from '../mode-host';
import { MemorySettingsStore } from '../settings-store';
import { keyFingerprint } from '../account/key-fingerprint';

const KEYS = { exchange: 'binanceusdm', apiKey: 'AKIA1234567890KEY', apiSecret: 'super-secret-value-42', testnet: false, demo: true } as const;

let dataDir: string;
let engines: Engine[] = [];
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mode-'));
});
afterEach(async () => {
  for (const engine of engines) await engine.stop();
  engines = [];
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function journal(): JournalEntry[] {
  return fs
    .readFileSync(path.join(dataDir, 'journal', 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as JournalEntry);
}

/** A host that remembers the choice like Electron's does, and logs what the engine asked of it and what the journal held then. */
function recordingHost(initial: ModeChoice = { mode: 'paper' }, lockedReason: string | null = null) {
  let stored = initial;
  const calls: Array<{ call: 'setMode' | 'restart'; choice?: ModeChoice; journalled: string[] }> = [];
  const host: ModeHost = {
    nextMode: () => stored,
    lockedReason: () => lockedReason,
    setMode: (choice) => {
      calls.push({ call: 'setMode', choice, journalled: journal().map((e) => e.type) });
      stored = choice;
    },
    restart: () => void calls.push({ call: 'restart', journalled: journal().map((e) => e.type) }),
  };
  return { host, calls };
}

function startEngine(options: { host?: ModeHost; vault?: MemoryCredentialVault; adapter?: ExchangeAdapter } = {}) {
  const paper = createPaperAdapter({ manualClock: true, seed: 5 });
  const engine = new Engine({
    dataDir,
    adapter: options.adapter ?? paper,
    settingsStore: new MemorySettingsStore(),
    vault: options.vault ?? new MemoryCredentialVault(),
    ...(options.host ? { host: options.host } : {}),
  });
  engines.push(engine);
  return engine;
}

/** The paper exchange dressed as a live one: what a live engine sees, without a network. */
function liveOn(paper: PaperAdapter, id = 'binanceusdm', practice?: 'testnet' | 'demo'): ExchangeAdapter {
  return { ...paper, id, mode: 'live', ...(practice ? { practice, network: practice } : {}) };
}

const withKeys = () => new MemoryCredentialVault({ ...KEYS });

describe('switching the trading mode from the app', () => {
  it('is refused headless, which chooses its mode with --exchange flags', async () => {
    const engine = startEngine({ vault: withKeys() });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'live', confirmation: 'binanceusdm' });
    expect(result).toMatchObject({ ok: false, error: { type: 'refused', code: 'headless', message: expect.stringContaining('--exchange') } });
    expect(await dispatch(engine.handlers, 'mode.status', {})).toEqual({
      ok: true,
      value: { current: 'paper', currentExchange: null, next: 'paper', exchange: null, testnet: false, demo: false, restartRequired: false, locked: expect.stringContaining('--exchange') },
    });
    expect(journal().map((e) => e.type)).not.toContain('mode.set');
  });

  it('refuses live while no keys are stored', async () => {
    const { host, calls } = recordingHost();
    const engine = startEngine({ host });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'live', confirmation: 'binanceusdm' });
    expect(result).toMatchObject({ ok: false, error: { type: 'refused', code: 'no-credentials', fields: { mode: expect.stringMatching(/keys/) } } });
    expect(calls).toEqual([]);
  });

  it.each(['', 'binance', 'BINANCEUSDM', 'bybit'])('refuses live when the typed confirmation is %j instead of the stored exchange id', async (confirmation) => {
    const { host, calls } = recordingHost();
    const engine = startEngine({ host, vault: withKeys() });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'live', confirmation });
    expect(result).toMatchObject({
      ok: false,
      error: { type: 'refused', code: 'confirmation-mismatch', fields: { confirmation: expect.stringContaining('"binanceusdm"') } },
    });
    expect(calls).toEqual([]);
    expect(journal().map((e) => e.type)).not.toContain('mode.set');
  });

  it('goes live on the stored exchange once confirmed: journalled first, then persisted, then restarted', async () => {
    const { host, calls } = recordingHost();
    const engine = startEngine({ host, vault: withKeys() });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'live', confirmation: ' binanceusdm ' });
    expect(result).toEqual({
      ok: true,
      value: { current: 'paper', currentExchange: null, next: 'live', exchange: 'binanceusdm', testnet: false, demo: true, restartRequired: true, locked: null },
    });
    expect(calls).toEqual([
      { call: 'setMode', choice: { mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true, fingerprint: keyFingerprint(KEYS.apiKey) }, journalled: expect.arrayContaining(['mode.set']) },
      { call: 'restart', journalled: expect.arrayContaining(['mode.set', 'mode.restart']) },
    ]);
    expect(calls[0]!.journalled).not.toContain('mode.restart');
    expect(journal().find((e) => e.type === 'mode.set')?.data).toEqual({
      from: { current: 'paper', next: 'paper', exchange: null },
      to: { mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true, fingerprint: keyFingerprint(KEYS.apiKey) },
    });
  });

  it('never puts the keys in the journal', async () => {
    const { host } = recordingHost();
    const engine = startEngine({ host, vault: withKeys() });
    await dispatch(engine.handlers, 'mode.set', { mode: 'live', confirmation: 'binanceusdm' });
    const written = fs.readFileSync(path.join(dataDir, 'journal', 'journal.jsonl'), 'utf8');
    expect(written).not.toContain(KEYS.apiKey);
    expect(written).not.toContain(KEYS.apiSecret);
  });

  it('switches from live back to paper without any confirmation, and restarts', async () => {
    const { host, calls } = recordingHost({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    const engine = startEngine({ host, vault: withKeys(), adapter: liveOn(createPaperAdapter({ manualClock: true, seed: 5 }), 'binanceusdm', 'demo') });
    expect((await dispatch(engine.handlers, 'mode.status', {})) as unknown).toMatchObject({ ok: true, value: { current: 'live', next: 'live', restartRequired: false } });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'paper', confirmation: '' });
    expect(result).toEqual({ ok: true, value: { current: 'live', currentExchange: 'binanceusdm', next: 'paper', exchange: null, testnet: false, demo: false, restartRequired: true, locked: null } });
    expect(calls.map((c) => c.call)).toEqual(['setMode', 'restart']);
    expect(calls[0]!.choice).toEqual({ mode: 'paper' });
  });

  it('keeps running without a restart when the choice is what already runs', async () => {
    const { host, calls } = recordingHost();
    const engine = startEngine({ host });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'paper', confirmation: '' });
    expect(result).toMatchObject({ ok: true, value: { current: 'paper', next: 'paper', restartRequired: false } });
    expect(calls.map((c) => c.call)).toEqual(['setMode']);
    expect(journal().map((e) => e.type)).toContain('mode.set');
  });

  it('says a restart is needed when the next start trades another account of the same exchange: demo and real are two accounts', async () => {
    const adapter = liveOn(createPaperAdapter({ manualClock: true, seed: 5 }), 'binanceusdm', 'demo');
    const toReal = startEngine({ host: recordingHost({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: false }).host, vault: withKeys(), adapter });
    expect(await dispatch(toReal.handlers, 'mode.status', {})).toMatchObject({ ok: true, value: { current: 'live', next: 'live', restartRequired: true } });
    const real = liveOn(createPaperAdapter({ manualClock: true, seed: 5 }));
    const toDemo = startEngine({ host: recordingHost({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true }).host, vault: withKeys(), adapter: real });
    expect(await dispatch(toDemo.handlers, 'mode.status', {})).toMatchObject({ ok: true, value: { restartRequired: true } });
  });

  it('refuses to leave live while positions are open, naming them', async () => {
    const paper = createPaperAdapter({ manualClock: true, seed: 5 });
    const { host, calls } = recordingHost({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: true });
    const engine = startEngine({ host, vault: withKeys(), adapter: liveOn(paper) });
    await engine.start();
    const market = paper.sim.market('BTC/USDT:USDT');
    const mark = paper.sim.mark('BTC/USDT:USDT').markPrice;
    paper.sim.placeOrder({ symbol: 'BTC/USDT:USDT', side: 'BUY', type: 'MARKET', quantity: roundDownToStep(2_000 / mark, market.amountStep) });
    await engine.trading.reconcile('test');

    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'paper', confirmation: '' });
    expect(result).toMatchObject({ ok: false, error: { type: 'refused', code: 'positions-open', message: expect.stringContaining('BTC/USDT:USDT') } });
    expect(calls).toEqual([]);
  });

  it('refuses a switch to any other account while positions are open: real to demo, or another key on the same exchange', async () => {
    const openOn = async (adapter: ExchangeAdapter, paper: PaperAdapter, vault: MemoryCredentialVault) => {
      const { host, calls } = recordingHost({ mode: 'live', exchange: 'binanceusdm', testnet: false, demo: false });
      const engine = startEngine({ host, vault, adapter });
      await engine.start();
      const mark = paper.sim.mark('BTC/USDT:USDT').markPrice;
      paper.sim.placeOrder({ symbol: 'BTC/USDT:USDT', side: 'BUY', type: 'MARKET', quantity: roundDownToStep(2_000 / mark, paper.sim.market('BTC/USDT:USDT').amountStep) });
      await engine.trading.reconcile('test');
      return { engine, calls };
    };
    const realPaper = createPaperAdapter({ manualClock: true, seed: 5 });
    const real = { ...liveOn(realPaper), keyFingerprint: keyFingerprint('real-account-key-1') };
    const toDemo = await openOn(real, realPaper, withKeys());
    expect(await dispatch(toDemo.engine.handlers, 'mode.set', { mode: 'live', confirmation: 'binanceusdm' })).toMatchObject({
      ok: false,
      error: { code: 'positions-open', message: expect.stringMatching(/open on binanceusdm \(BTC\/USDT:USDT\)\. Switching to another account/) },
    });
    expect(toDemo.calls).toEqual([]);

    const otherPaper = createPaperAdapter({ manualClock: true, seed: 5 });
    const other = { ...liveOn(otherPaper), keyFingerprint: keyFingerprint('real-account-key-1') };
    const anotherKey = new MemoryCredentialVault({ ...KEYS, demo: false, apiKey: 'real-account-key-2' });
    const toOtherKey = await openOn(other, otherPaper, anotherKey);
    expect(await dispatch(toOtherKey.engine.handlers, 'mode.set', { mode: 'live', confirmation: 'binanceusdm' })).toMatchObject({ ok: false, error: { code: 'positions-open' } });

    const samePaper = createPaperAdapter({ manualClock: true, seed: 5 });
    const same = { ...liveOn(samePaper), keyFingerprint: keyFingerprint('real-account-key-2') };
    const sameKey = await openOn(same, samePaper, new MemoryCredentialVault({ ...KEYS, demo: false, apiKey: 'real-account-key-2' }));
    expect(await dispatch(sameKey.engine.handlers, 'mode.set', { mode: 'live', confirmation: 'binanceusdm' })).toMatchObject({ ok: true, value: { restartRequired: false } });
  });

  it('refuses any change while the host pins the mode', async () => {
    const { host, calls } = recordingHost({ mode: 'live', exchange: 'bybit', testnet: false, demo: false }, 'COCKPIT_EXCHANGE=bybit chooses live trading');
    const engine = startEngine({ host, vault: withKeys() });
    const result = await dispatch(engine.handlers, 'mode.set', { mode: 'paper', confirmation: '' });
    expect(result).toMatchObject({ ok: false, error: { type: 'refused', code: 'mode-locked', message: 'COCKPIT_EXCHANGE=bybit chooses live trading' } });
    expect(calls).toEqual([]);
  });

  it('rejects a mode the contract does not know', async () => {
    const { host } = recordingHost();
    const engine = startEngine({ host, vault: withKeys() });
    expect(await dispatch(engine.handlers, 'mode.set', { mode: 'testnet', confirmation: '' })).toMatchObject({ ok: false, error: { type: 'invalid-input' } });
  });
});
