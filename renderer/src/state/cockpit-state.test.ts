import { describe, expect, it } from 'vitest';
import type { SessionSnapshot } from '../../../shared/contract';
import type { AccountState, Fill, JournalEntry, Notification } from '../../../shared/domain';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { aPosition, aProposal } from '../fixtures/domain-fixtures';
import { cockpitReducer, initialCockpitState, MAX_FILLS, MAX_JOURNAL, type CockpitState } from './cockpit-state';

const account: AccountState = {
  currency: 'USDT',
  walletBalance: 10_000,
  equity: 10_050,
  unrealizedPnl: 50,
  usedMargin: 600,
  freeMargin: 9_450,
  maintenanceMargin: 12,
  marginRatio: 0.001,
  realizedPnlToday: 0,
  effectiveLeverage: 0.3,
  updatedAt: 1,
};

const snapshot: SessionSnapshot = {
  mode: 'paper',
  exchange: 'paper',
  liquidationFormula: 'binanceusdm',
  symbols: ['BTC/USDT:USDT'],
  timeframes: ['1m', '5m'],
  markets: [],
  account,
  positions: [aPosition()],
  orders: [],
  proposals: [aProposal()],
  breakers: [],
  strategies: [],
  connection: { state: 'connected', mode: 'paper', exchange: 'paper', detail: null, rateLimit: null, since: 0 },
  tickers: [],
  settings: DEFAULT_SETTINGS,
  lastFlatten: null,
  fills: [],
  sizing: { trades: 0, minTrades: 20, riskCap: 0.01, kelly: null },
  strategyFiles: [],
  dataDisk: { writable: true, code: null, concerns: [], message: null, since: null },
};

const aFill = (time: number, overrides: Partial<Fill> = {}): Fill => ({
  orderId: `o${time}`,
  clientOrderId: `c${time}`,
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  price: 60_000,
  amount: 0.01,
  fee: 0.24,
  realizedPnl: 0,
  time,
  ...overrides,
});

const loaded = (): CockpitState => cockpitReducer(initialCockpitState, { type: 'snapshot', snapshot });

describe('cockpitReducer', () => {
  it('starts connecting, and a snapshot proves the link and fills every panel', () => {
    expect(initialCockpitState.link).toBe('connecting');
    const state = loaded();
    expect(state).toMatchObject({ link: 'connected', loaded: true, mode: 'paper', account, positions: [aPosition()] });
  });

  it('keeps the reason a snapshot failed, but leaves the link to the heartbeat: a refused or unreachable transport is no proof of a link', () => {
    const state = cockpitReducer(initialCockpitState, { type: 'snapshot-failed', message: 'not ready' });
    expect(state).toMatchObject({ link: 'connecting', loaded: false, snapshotError: 'not ready' });
    const down = cockpitReducer({ ...initialCockpitState, link: 'disconnected' }, { type: 'snapshot-failed', message: 'unauthorized' });
    expect(down.link).toBe('disconnected');
  });

  it('replaces positions, orders, proposals and breakers with each live event', () => {
    let state = loaded();
    state = cockpitReducer(state, { type: 'event', event: 'positions', payload: [] });
    state = cockpitReducer(state, { type: 'event', event: 'proposals', payload: [aProposal({ status: 'executed' })] });
    expect(state.positions).toEqual([]);
    expect(state.proposals[0]?.status).toBe('executed');
  });

  it('takes the mode and exchange from the connection event', () => {
    const state = cockpitReducer(loaded(), {
      type: 'event',
      event: 'connection',
      payload: { state: 'reconnecting', mode: 'live', exchange: 'binanceusdm', detail: 'socket closed', rateLimit: null, since: 5 },
    });
    expect(state).toMatchObject({ mode: 'live', exchange: 'binanceusdm' });
  });

  it('keeps the journal in sequence order without duplicates, capped', () => {
    const entry = (seq: number): JournalEntry => ({ seq, time: seq, type: 't', data: null });
    let state = cockpitReducer(loaded(), { type: 'event', event: 'journal', payload: entry(3) });
    state = cockpitReducer(state, { type: 'journal-tail', entries: [entry(1), entry(2), entry(3)] });
    expect(state.journal.map((e) => e.seq)).toEqual([1, 2, 3]);
    const many = Array.from({ length: MAX_JOURNAL + 10 }, (_, i) => entry(i + 10));
    state = cockpitReducer(state, { type: 'journal-tail', entries: many });
    expect(state.journal).toHaveLength(MAX_JOURNAL);
    expect(state.journal.at(-1)?.seq).toBe(MAX_JOURNAL + 19);
  });

  it('shows a notification once, and forgets it when dismissed', () => {
    const n: Notification = { id: 'n1', level: 'critical', title: 'Breaker', message: 'Daily loss', time: 1 };
    let state = cockpitReducer(loaded(), { type: 'event', event: 'notification', payload: n });
    state = cockpitReducer(state, { type: 'event', event: 'notification', payload: n });
    expect(state.notifications).toEqual([n]);
    state = cockpitReducer(state, { type: 'dismiss', id: 'n1' });
    expect(state.notifications).toEqual([]);
  });

  it('leaves candles and tickers to their own stores', () => {
    const state = loaded();
    expect(
      cockpitReducer(state, { type: 'event', event: 'candle', payload: { symbol: 'BTC/USDT:USDT', timeframe: '1m', closed: false, candle: { time: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 } } }),
    ).toBe(state);
  });
});

describe('the data disk warning', () => {
  it('follows the snapshot, then each dataDisk event, until writes succeed again', () => {
    const full = { writable: false, code: 'ENOSPC', concerns: ['the journal'], message: 'Data disk full: the journal cannot be written', since: 5 };
    let state = loaded();
    expect(state.dataDisk).toEqual(snapshot.dataDisk);
    state = cockpitReducer(state, { type: 'event', event: 'dataDisk', payload: full });
    expect(state.dataDisk).toEqual(full);
    state = cockpitReducer(state, { type: 'event', event: 'dataDisk', payload: snapshot.dataDisk });
    expect(state.dataDisk?.writable).toBe(true);
  });
});

describe('a snapshot that crosses live events', () => {
  it('keeps what arrived by event while the snapshot was on its way', () => {
    let state = cockpitReducer(initialCockpitState, { type: 'event', event: 'positions', payload: [] });
    state = cockpitReducer(state, { type: 'snapshot', snapshot, newer: new Set(['positions'] as const) });
    expect(state.positions).toEqual([]);
    expect(state.proposals).toEqual(snapshot.proposals);
  });
});

describe('fills across a reload', () => {
  it('takes the recent fills from the snapshot, so the chart’s fill markers come back after a reload', () => {
    const fills = [aFill(1_000), aFill(2_000, { side: 'sell', realizedPnl: 12 })];
    const state = cockpitReducer(initialCockpitState, { type: 'snapshot', snapshot: { ...snapshot, fills } });
    expect(state.fills).toEqual(fills);
  });

  it('keeps a fill that arrived live before the snapshot once, in time order, beside the snapshot’s', () => {
    let state = cockpitReducer(initialCockpitState, { type: 'event', event: 'fill', payload: aFill(3_000) });
    state = cockpitReducer(state, { type: 'snapshot', snapshot: { ...snapshot, fills: [aFill(1_000), aFill(3_000)] } });
    expect(state.fills.map((f) => f.time)).toEqual([1_000, 3_000]);
    state = cockpitReducer(state, { type: 'snapshot', snapshot: { ...snapshot, fills: [aFill(1_000), aFill(3_000)] } });
    expect(state.fills, 'a second snapshot adds nothing twice').toHaveLength(2);
  });

  it('adds the fills a restarted engine loaded from the exchange to those shown, each once, in time order', () => {
    let state = cockpitReducer(initialCockpitState, { type: 'event', event: 'fill', payload: aFill(5_000) });
    state = cockpitReducer(state, { type: 'event', event: 'fills', payload: [aFill(1_000), aFill(5_000), aFill(2_000, { side: 'sell' })] });
    expect(state.fills.map((f) => [f.time, f.side])).toEqual([
      [1_000, 'buy'],
      [2_000, 'sell'],
      [5_000, 'buy'],
    ]);
  });

  it('stays bounded', () => {
    const many = Array.from({ length: MAX_FILLS + 10 }, (_, i) => aFill(i));
    const state = cockpitReducer(initialCockpitState, { type: 'snapshot', snapshot: { ...snapshot, fills: many } });
    expect(state.fills).toHaveLength(MAX_FILLS);
    expect(state.fills.at(-1)?.time).toBe(MAX_FILLS + 9);
  });
});

describe('the Kelly sizing suggestion', () => {
  it('comes with the snapshot and follows each sizing event', () => {
    let state = loaded();
    expect(state.sizing).toEqual(snapshot.sizing);
    const after = { ...snapshot.sizing, trades: 1 };
    state = cockpitReducer(state, { type: 'event', event: 'sizing', payload: after });
    expect(state.sizing).toEqual(after);
    state = cockpitReducer(state, { type: 'snapshot', snapshot, newer: new Set(['sizing'] as const) });
    expect(state.sizing, 'an event newer than the snapshot wins').toEqual(after);
  });
});
