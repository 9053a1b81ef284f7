import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvents, EventName, SessionSnapshot } from '../../../shared/contract';
import { roundDownToStep } from '../../../shared/risk/precision';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { MemoryCredentialVault } from '../credential-vault';
import { dispatch } from '../dispatch';
import { Engine } from '../engine';
import type { ExchangeAdapter } from '../exchange/adapter';
import { createPaperAdapter, type PaperAdapter } from '../exchange/paper-adapter';
import { MemorySettingsStore } from '../settings-store';
import { flatAccount } from '../../../shared/fixtures/account.fixture';

let dataDir: string;
let engines: Engine[] = [];
beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-'));
});
afterEach(async () => {
  for (const engine of engines) await engine.stop();
  engines = [];
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function startEngine(paper: PaperAdapter = createPaperAdapter({ manualClock: true, seed: 5 }), adapter: ExchangeAdapter = paper) {
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
  engine.bus.subscribe((event, payload) => events.push({ event, payload }));
  engines.push(engine);
  const of = <E extends EventName>(name: E) => events.filter((e) => e.event === name).map((e) => e.payload as EngineEvents[E]);
  return { engine, paper, of };
}

function openByHand(paper: PaperAdapter, symbol: string, notional: number) {
  const market = paper.sim.market(symbol);
  const mark = paper.sim.mark(symbol).markPrice;
  paper.sim.placeOrder({ symbol, side: 'BUY', type: 'MARKET', quantity: roundDownToStep(notional / mark, market.amountStep) });
  paper.sim.placeOrder({ symbol, side: 'SELL', type: 'STOP_MARKET', stopPrice: roundDownToStep(mark * 0.9, market.tickSize), closePosition: true, workingType: 'mark' });
}

const account = (walletBalance: number) => flatAccount(walletBalance, Date.now());
const openPositions = (paper: PaperAdapter) => paper.sim.positions().filter((p) => p.positionAmt !== 0).map((p) => p.symbol);
/** The paper exchange dressed as a live one: what a live engine sees, without a network. */
const liveOn = (paper: PaperAdapter, id = 'binanceusdm'): ExchangeAdapter => ({ ...paper, id, mode: 'live' });

/** Lets the breakers read the account's transfers, as they do before an equity breaker trips. */
const transfersRead = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('safety commands on the engine', () => {
  it('`flatten` closes what is on the exchange, streams its report and tells the user', async () => {
    const { engine, paper, of } = startEngine();
    openByHand(paper, 'BTC/USDT:USDT', 3_000);
    openByHand(paper, 'ETH/USDT:USDT', 2_000);

    const result = await dispatch(engine.handlers, 'flatten', { reason: 'panic button' });
    expect(result).toMatchObject({ ok: true, value: { flat: true, reason: 'panic button' } });
    expect(paper.sim.positions().filter((p) => p.positionAmt !== 0)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
    expect(of('flatten').at(-1)).toMatchObject({ flat: true, symbols: [{ status: 'flat' }, { status: 'flat' }] });
    expect(of('notification').at(-1)).toMatchObject({ level: 'info', title: 'Flattened' });
    expect(of('strategies').at(-1)?.every((s) => !s.running)).toBe(true);
  });

  it('`flatten` still rejects pending proposals when halting the strategy loop throws', async () => {
    const { engine } = startEngine();
    await engine.start();
    const snapshot = (await dispatch(engine.handlers, 'session.snapshot', {})) as { value: SessionSnapshot };
    const mark = snapshot.value.tickers.find((t) => t.symbol === 'BTC/USDT:USDT')?.mark ?? 60_000;
    const created = await dispatch(engine.handlers, 'proposal.create', { symbol: 'BTC/USDT:USDT', side: 'long', entry: mark, stop: mark * 0.98, takeProfit: mark * 1.04, leverage: 2 });
    const id = (created as { value: { id: string; status: string } }).value.id;
    expect((created as { value: { status: string } }).value.status).toBe('pending');
    engine.trading.runner.halt = () => {
      throw new Error('strategy runner is wedged');
    };

    expect(await dispatch(engine.handlers, 'flatten', { reason: 'panic button' })).toMatchObject({ ok: true, value: { flat: true } });
    const after = (await dispatch(engine.handlers, 'session.snapshot', {})) as { value: SessionSnapshot };
    expect(after.value.proposals.find((p) => p.id === id)?.status).toBe('rejected');
    const journal = (await dispatch(engine.handlers, 'journal.tail', { filter: 'flatten.halt' })) as { value: Array<{ type: string; data: { error: string } }> };
    expect(journal.value).toEqual([expect.objectContaining({ type: 'flatten.halt.failed', data: expect.objectContaining({ error: expect.stringContaining('wedged') }) })]);
  });

  it('`flatten` leaves auto mode off, in the strategy statuses and after a restart, until the user turns it on', async () => {
    const store = new MemorySettingsStore({ ...structuredClone(DEFAULT_SETTINGS), strategies: DEFAULT_SETTINGS.strategies.map((st) => ({ ...st, auto: true })) });
    const paper = createPaperAdapter({ manualClock: true, seed: 5 });
    const first = new Engine({ dataDir, adapter: paper, settingsStore: store, vault: new MemoryCredentialVault() });
    engines.push(first);
    expect((await dispatch(first.handlers, 'flatten', { reason: 'panic button' })).ok).toBe(true);
    expect(first.trading.strategies().every((st) => !st.auto && !st.running)).toBe(true);
    const journal = (await dispatch(first.handlers, 'journal.tail', { filter: 'flatten.auto-off' })) as { value: Array<{ data: { strategies: string[] } }> };
    expect(journal.value.map((e) => e.data.strategies)).toEqual([['trend-pullback', 'adaptive-leverage']]);
    await first.stop();
    engines = [];

    const second = new Engine({ dataDir, adapter: createPaperAdapter({ manualClock: true, seed: 5 }), settingsStore: store, vault: new MemoryCredentialVault() });
    engines.push(second);
    expect(second.trading.strategies().every((st) => !st.auto)).toBe(true);
  });

  it('`flatten` needs no reason', async () => {
    const { engine } = startEngine();
    expect(await dispatch(engine.handlers, 'flatten', {})).toMatchObject({ ok: true, value: { flat: true, reason: 'Flatten requested by the user' } });
  });
});

/** An engine whose drawdown breaker trips (a 21% fall from the peak) and whose flatten finishes; then it stops. */
async function tripDrawdownAndStop(): Promise<void> {
  const first = startEngine();
  first.engine.bus.emit('account', account(10_000));
  first.engine.bus.emit('account', account(7_900));
  await transfersRead();
  await expect.poll(() => first.of('flatten').at(-1)?.finishedAt ?? null).not.toBeNull();
  await first.engine.stop();
  engines = [];
}

describe('resuming the strategies after a flatten', () => {
  it('the strategies stay halted after a flatten until the user resumes them, and the resume is journalled', async () => {
    const { engine, of } = startEngine();
    await dispatch(engine.handlers, 'flatten', { reason: 'panic button' });
    expect(of('strategies').at(-1)?.every((s) => !s.running && s.haltedReason === 'Flatten: panic button')).toBe(true);

    const resumed = await dispatch(engine.handlers, 'strategies.resume', {});
    expect(resumed.ok).toBe(true);
    const statuses = (resumed as { value: Array<{ id: string; enabled: boolean; running: boolean; haltedReason: string | null }> }).value;
    expect(statuses.filter((s) => s.enabled).every((s) => s.running && s.haltedReason === null)).toBe(true);
    const journal = await dispatch(engine.handlers, 'journal.tail', { filter: 'strategies.resume' });
    expect((journal as { value: unknown[] }).value).toHaveLength(1);
  });

  it('is refused while the drawdown breaker, which stops the strategies, is tripped', async () => {
    const { engine, of } = startEngine();
    engine.bus.emit('account', account(10_000));
    engine.bus.emit('account', account(7_900));
    await transfersRead();
    expect(of('breakers').at(-1)?.find((v) => v.id === 'drawdown')?.state).toBe('tripped');
    await expect.poll(() => of('flatten').at(-1)?.finishedAt ?? null).not.toBeNull();

    const refused = await dispatch(engine.handlers, 'strategies.resume', {});
    expect(refused).toMatchObject({ ok: false, error: { type: 'refused', message: expect.stringContaining('reset it first') } });
    expect(of('strategies').at(-1)?.every((s) => !s.running)).toBe(true);
  });

  it('after a restart, a still-tripped drawdown breaker keeps the strategies halted and says what is left to do', async () => {
    await tripDrawdownAndStop();

    const second = startEngine();
    const snapshot = await dispatch(second.engine.handlers, 'session.snapshot', {});
    const strategies = (snapshot as { value: SessionSnapshot }).value.strategies.filter((s) => s.enabled);
    expect(strategies.length).toBeGreaterThan(0);
    expect(strategies.map((s) => [s.running, s.haltedReason])).toEqual(strategies.map(() => [false, 'Drawdown from peak tripped: strategies stopped until it re-arms or you resume them']));
    const journal = await dispatch(second.engine.handlers, 'journal.tail', { filter: 'Drawdown from peak is still tripped' });
    expect((journal as { value: unknown[] }).value).toHaveLength(1);
  });

  it('after a restart, a still-tripped drawdown breaker flattens again what an interrupted flatten left open', async () => {
    await tripDrawdownAndStop();
    // The process dies before the flatten reports flat: the saved trip never learns it was flat.
    const stateFile = path.join(dataDir, 'breakers-paper.json');
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8'));
    expect(saved.records.drawdown.flatAt, 'a finished flatten is remembered').toEqual(expect.any(Number));
    delete saved.records.drawdown.flatAt;
    fs.writeFileSync(stateFile, JSON.stringify(saved));

    const paper = createPaperAdapter({ manualClock: true, seed: 5 });
    openByHand(paper, 'BTC/USDT:USDT', 3_000);
    const second = startEngine(paper);
    await second.engine.start();
    await expect.poll(() => second.of('flatten').at(-1)?.finishedAt ?? null).not.toBeNull();
    expect(openPositions(paper)).toEqual([]);
    expect(paper.sim.openOrders(undefined, 'all')).toEqual([]);
    expect(second.of('flatten').at(-1)).toMatchObject({ flat: true, reason: expect.stringMatching(/^Drawdown from peak still tripped after a restart, with positions open/) });
    const types = second.of('journal').map((e) => e.type);
    expect(types).toContain('breaker.flatten.resumed');
    expect(types.indexOf('breaker.flatten.resumed')).toBeLessThan(types.indexOf('flatten.start'));
    expect(second.of('journal').find((e) => e.type === 'breaker.flatten.resumed')?.data).toMatchObject({ ids: ['drawdown'], symbols: ['BTC/USDT:USDT'] });
    expect(second.of('strategies').at(-1)?.every((s) => !s.running)).toBe(true);
  });

  it('after a restart with a still-tripped drawdown breaker and nothing open, nothing is flattened', async () => {
    await tripDrawdownAndStop();

    const second = startEngine();
    await second.engine.start();
    second.paper.sim.advanceTo(second.paper.sim.now() + 5_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(second.of('journal').map((e) => e.type)).not.toContain('breaker.flatten.resumed');
    expect(second.of('flatten')).toEqual([]);
  });
});

describe('breaker state per account', () => {
  it('a paper account’s day, peak and trips never reach a live account on the same data folder, and come back with the paper account', async () => {
    const paper = startEngine(createPaperAdapter({ manualClock: true, seed: 5, startBalance: 10_000 }));
    await paper.engine.start();
    paper.engine.bus.emit('account', account(9_000));
    await transfersRead();
    expect((await snapshotBreakers(paper.engine)).find((v) => v.id === 'daily-loss')?.state).toBe('tripped');
    await paper.engine.stop();
    engines = [];

    const exchange = createPaperAdapter({ manualClock: true, seed: 5, startBalance: 2_000 });
    openByHand(exchange, 'BTC/USDT:USDT', 1_000);
    const live = startEngine(exchange, liveOn(exchange));
    await live.engine.start();
    exchange.sim.advanceTo(exchange.sim.now() + 5_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect((await snapshotBreakers(live.engine)).filter((v) => v.state === 'tripped')).toEqual([]);
    expect(live.of('journal').filter((e) => e.type.startsWith('breaker.trip') || e.type.startsWith('flatten.'))).toEqual([]);
    expect(live.of('flatten')).toEqual([]);
    expect(openPositions(exchange)).toEqual(['BTC/USDT:USDT']);
    await live.engine.stop();
    engines = [];

    const paperAgain = startEngine(createPaperAdapter({ manualClock: true, seed: 5, startBalance: 10_000 }));
    expect((await snapshotBreakers(paperAgain.engine)).find((v) => v.id === 'daily-loss')).toMatchObject({ state: 'tripped', reason: expect.stringMatching(/^Down 10% today/) });
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('breakers-')).sort()).toEqual(['breakers-live-binanceusdm.json', 'breakers-paper.json']);
  });
});

const snapshotBreakers = async (engine: Engine) => {
  const snapshot = await dispatch(engine.handlers, 'session.snapshot', {});
  if (!snapshot.ok) throw new Error(snapshot.error.message);
  return (snapshot.value as SessionSnapshot).breakers;
};

describe('breakers in the session snapshot', () => {
  it('lists every breaker with its threshold from the start', async () => {
    const { engine } = startEngine();
    const views = await snapshotBreakers(engine);
    expect(views.map((v) => v.id)).toEqual([
      'daily-loss',
      'weekly-loss',
      'consecutive-losses',
      'drawdown',
      'total-exposure',
      'position-exposure',
      'leverage',
      'margin-ratio',
      'liquidation-distance',
      'volatility',
      'volatility-flatten',
    ]);
    expect(views.find((v) => v.id === 'daily-loss')).toMatchObject({ threshold: DEFAULT_SETTINGS.breakers.dailyLossPct, state: 'armed', unit: '%' });
    expect(views.find((v) => v.id === 'leverage')).toMatchObject({ threshold: 5, unit: 'x' });
  });
});

describe('breaker commands on the engine', () => {
  it('`breaker.reset` wants the id typed, and a trip survives a restart of the engine', async () => {
    const first = startEngine();
    first.engine.bus.emit('account', account(10_000));
    first.engine.bus.emit('account', account(9_400));
    await transfersRead();
    expect(first.of('breakers').at(-1)?.find((v) => v.id === 'daily-loss')?.state).toBe('tripped');
    expect(first.of('notification').some((n) => n.title === 'Daily loss limit tripped')).toBe(true);
    await first.engine.stop();
    engines = [];

    const second = startEngine();
    expect((await snapshotBreakers(second.engine)).find((v) => v.id === 'daily-loss')).toMatchObject({ state: 'tripped', trippedUntil: expect.any(Number) });
    const wrong = await dispatch(second.engine.handlers, 'breaker.reset', { id: 'daily-loss', confirmation: 'yes' });
    expect(wrong).toMatchObject({ ok: false, error: { type: 'refused', message: expect.stringContaining('daily-loss') } });
    const right = await dispatch(second.engine.handlers, 'breaker.reset', { id: 'daily-loss', confirmation: 'daily-loss' });
    expect(right).toMatchObject({ ok: true, value: { id: 'daily-loss', state: 'armed' } });
    const journal = await dispatch(second.engine.handlers, 'journal.tail', { filter: 'breaker.' });
    const types = (journal as { value: Array<{ type: string }> }).value.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['breaker.trip', 'breaker.reset']));
  });

  it('a tripped breaker is a `breaker` violation on every new proposal, and approval is refused', async () => {
    const { engine, of } = startEngine();
    await engine.start();
    const snapshot = await dispatch(engine.handlers, 'session.snapshot', {});
    const equity = (snapshot as { value: SessionSnapshot }).value.account.equity;
    expect(equity).toBeGreaterThan(0);
    engine.bus.emit('account', account(equity * 0.9));
    await transfersRead();
    expect(of('breakers').at(-1)?.find((v) => v.id === 'daily-loss')?.state).toBe('tripped');

    const mark = (await dispatch(engine.handlers, 'session.snapshot', {}) as { value: SessionSnapshot }).value.tickers.find((t) => t.symbol === 'BTC/USDT:USDT')?.mark ?? 60_000;
    const created = await dispatch(engine.handlers, 'proposal.create', { symbol: 'BTC/USDT:USDT', side: 'long', entry: mark, stop: mark * 0.98, takeProfit: mark * 1.04, leverage: 2 });
    expect(created.ok).toBe(true);
    const proposal = (created as { value: { id: string; verdict: { ok: boolean; violations: Array<{ rule: string; message: string }> } } }).value;
    expect(proposal.verdict.ok).toBe(false);
    expect(proposal.verdict.violations).toContainEqual({ rule: 'breaker', message: expect.stringMatching(/^Daily loss limit tripped: Down 10% today/) });
    const approved = await dispatch(engine.handlers, 'proposal.approve', { id: proposal.id });
    expect(approved.ok).toBe(false);
  });

  it('another key on the same exchange is another account: its own breakers, untouched by the first key’s trip, which waits for that key', async () => {
    const withKey = (exchange: PaperAdapter, keyFingerprint: string): ExchangeAdapter => ({ ...liveOn(exchange), keyFingerprint });
    const first = createPaperAdapter({ manualClock: true, seed: 5, startBalance: 10_000 });
    const a = startEngine(first, withKey(first, 'aaaaaaaaaaaa'));
    await a.engine.start();
    a.engine.bus.emit('account', account(9_000));
    await transfersRead();
    expect((await snapshotBreakers(a.engine)).find((v) => v.id === 'daily-loss')?.state).toBe('tripped');
    await a.engine.stop();
    engines = [];

    const second = createPaperAdapter({ manualClock: true, seed: 5, startBalance: 10_000 });
    const b = startEngine(second, withKey(second, 'bbbbbbbbbbbb'));
    await b.engine.start();
    expect((await snapshotBreakers(b.engine)).filter((v) => v.state === 'tripped')).toEqual([]);
    await b.engine.stop();
    engines = [];

    const back = createPaperAdapter({ manualClock: true, seed: 5, startBalance: 10_000 });
    const again = startEngine(back, withKey(back, 'aaaaaaaaaaaa'));
    expect((await snapshotBreakers(again.engine)).find((v) => v.id === 'daily-loss')?.state).toBe('tripped');
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('breakers-')).sort()).toEqual(['breakers-live-binanceusdm-kaaaaaaaaaaaa.json', 'breakers-live-binanceusdm-kbbbbbbbbbbbb.json']);
  });
});

