import type { EngineEvents, EventName, SessionSnapshot } from '../../../shared/contract';
import {
  fillKey,
  type LiquidationFormula,
  type AccountState,
  type BacktestJob,
  type BreakerView,
  type ConnectionState,
  type CredentialStatus,
  type DataDiskStatus,
  type Fill,
  type FlattenReport,
  type FundingSummary,
  type JournalEntry,
  type MarketInfo,
  type Mode,
  type Notification,
  type Order,
  type Position,
  type Proposal,
  type SizingSuggestion,
  type StrategyFileView,
  type StrategyStatus,
  type Timeframe,
} from '../../../shared/domain';
import type { DrillState } from '../../../shared/drills';
import type { Settings } from '../../../shared/settings';
import type { TickerStore } from './ticker-store';

/** Whether the renderer can reach the engine at all (not the exchange: see `connection`). */
export type LinkStatus = 'connecting' | 'connected' | 'disconnected';

/**
 * Everything the panels show, rebuilt from the snapshot and then from live events.
 * Candles go straight to the chart and tickers to the {@link TickerStore}: both are too frequent for one reducer.
 */
export interface CockpitState {
  link: LinkStatus;
  /** Why the snapshot could not be loaded, when it could not. */
  snapshotError: string | null;
  loaded: boolean;
  mode: Mode | null;
  exchange: string | null;
  /** The engine's liquidation formula for this exchange; previews use it. */
  liquidationFormula: LiquidationFormula;
  symbols: string[];
  timeframes: readonly Timeframe[];
  markets: Record<string, MarketInfo>;
  account: AccountState | null;
  positions: Position[];
  orders: Order[];
  proposals: Proposal[];
  breakers: BreakerView[];
  strategies: StrategyStatus[];
  /** The strategy files in the strategies folder, loaded or with their error. */
  strategyFiles: StrategyFileView[];
  /** The Backtest view's latest run, as it goes. */
  backtest: BacktestJob | null;
  connection: ConnectionState | null;
  settings: Settings | null;
  lastFlatten: FlattenReport | null;
  /** Kelly sizing from the closed trades, for the ticket. */
  sizing: SizingSuggestion | null;
  /** Funding today and per open position; null until the engine has said. */
  funding: FundingSummary | null;
  /** Newest last, capped at {@link MAX_FILLS}. */
  fills: Fill[];
  /** Newest last, capped at {@link MAX_JOURNAL}. */
  journal: JournalEntry[];
  /** Newest last, capped at {@link MAX_NOTIFICATIONS}. */
  notifications: Notification[];
  credentials: CredentialStatus | null;
  /** Whether the engine can write its data folder; null until the snapshot. */
  dataDisk: DataDiskStatus | null;
  /** The crash drill running or last run (paper mode); null until the engine has said. */
  drill: DrillState | null;
}

export const MAX_FILLS = 500;
export const MAX_JOURNAL = 1000;
export const MAX_NOTIFICATIONS = 50;

export type CockpitAction =
  | { type: 'link'; status: LinkStatus }
  /** `newer`: events that arrived while the snapshot was on its way, whose payloads beat the snapshot's. */
  | { type: 'snapshot'; snapshot: SessionSnapshot; newer?: ReadonlySet<EventName> }
  | { type: 'snapshot-failed'; message: string }
  | { type: 'journal-tail'; entries: JournalEntry[] }
  | { type: 'credentials'; status: CredentialStatus }
  | { type: 'dismiss'; id: string }
  | EventAction;

/** One engine event, as an action. */
export type EventAction = { [E in EventName]: { type: 'event'; event: E; payload: EngineEvents[E] } }[EventName];

export const initialCockpitState: CockpitState = {
  link: 'connecting',
  snapshotError: null,
  loaded: false,
  mode: null,
  exchange: null,
  liquidationFormula: 'binanceusdm',
  symbols: [],
  timeframes: [],
  markets: {},
  account: null,
  positions: [],
  orders: [],
  proposals: [],
  breakers: [],
  strategies: [],
  strategyFiles: [],
  backtest: null,
  connection: null,
  settings: null,
  lastFlatten: null,
  sizing: null,
  funding: null,
  fills: [],
  journal: [],
  notifications: [],
  credentials: null,
  dataDisk: null,
  drill: null,
};

const keepLast = <T>(items: T[], max: number): T[] => (items.length > max ? items.slice(items.length - max) : items);

function mergeJournal(existing: JournalEntry[], incoming: JournalEntry[]): JournalEntry[] {
  const bySeq = new Map<number, JournalEntry>();
  for (const entry of existing) bySeq.set(entry.seq, entry);
  for (const entry of incoming) bySeq.set(entry.seq, entry);
  return keepLast([...bySeq.values()].sort((a, b) => a.seq - b.seq), MAX_JOURNAL);
}

/** The fills already held and those of a snapshot or of the engine's fill history, each once, oldest first. */
function mergeFills(existing: Fill[], incoming: Fill[]): Fill[] {
  const byKey = new Map<string, Fill>();
  for (const fill of [...incoming, ...existing]) byKey.set(fillKey(fill), fill);
  return keepLast([...byKey.values()].sort((a, b) => a.time - b.time), MAX_FILLS);
}

function addNotification(state: CockpitState, notification: Notification): CockpitState {
  if (state.notifications.some((n) => n.id === notification.id)) return state;
  return { ...state, notifications: keepLast([...state.notifications, notification], MAX_NOTIFICATIONS) };
}

function applySnapshot(state: CockpitState, s: SessionSnapshot, newer: ReadonlySet<EventName>): CockpitState {
  const pick = <K extends keyof CockpitState>(key: K, event: EventName, fromSnapshot: CockpitState[K]): CockpitState[K] =>
    newer.has(event) ? state[key] : fromSnapshot;
  return {
    ...state,
    link: 'connected',
    snapshotError: null,
    loaded: true,
    mode: s.mode,
    exchange: s.exchange,
    liquidationFormula: s.liquidationFormula,
    symbols: s.symbols,
    timeframes: s.timeframes,
    markets: Object.fromEntries(s.markets.map((m) => [m.symbol, m])),
    account: pick('account', 'account', s.account),
    positions: pick('positions', 'positions', s.positions),
    orders: pick('orders', 'orders', s.orders),
    proposals: pick('proposals', 'proposals', s.proposals),
    breakers: pick('breakers', 'breakers', s.breakers),
    strategies: pick('strategies', 'strategies', s.strategies),
    strategyFiles: pick('strategyFiles', 'strategyFiles', s.strategyFiles),
    connection: pick('connection', 'connection', s.connection),
    settings: pick('settings', 'settings', s.settings),
    lastFlatten: pick('lastFlatten', 'flatten', s.lastFlatten),
    sizing: pick('sizing', 'sizing', s.sizing),
    funding: pick('funding', 'funding', s.funding ?? null),
    dataDisk: pick('dataDisk', 'dataDisk', s.dataDisk),
    fills: mergeFills(state.fills, s.fills),
  };
}

function applyEvent(state: CockpitState, action: EventAction): CockpitState {
  switch (action.event) {
    case 'account':
      return { ...state, account: action.payload };
    case 'positions':
      return { ...state, positions: action.payload };
    case 'orders':
      return { ...state, orders: action.payload };
    case 'fill':
      return { ...state, fills: keepLast([...state.fills, action.payload], MAX_FILLS) };
    case 'fills':
      return { ...state, fills: mergeFills(state.fills, action.payload) };
    case 'proposals':
      return { ...state, proposals: action.payload };
    case 'breakers':
      return { ...state, breakers: action.payload };
    case 'strategies':
      return { ...state, strategies: action.payload };
    case 'connection':
      return { ...state, connection: action.payload, mode: action.payload.mode, exchange: action.payload.exchange };
    case 'journal':
      return { ...state, journal: mergeJournal(state.journal, [action.payload]) };
    case 'flatten':
      return { ...state, lastFlatten: action.payload };
    case 'notification':
      return addNotification(state, action.payload);
    case 'settings':
      return { ...state, settings: action.payload };
    case 'sizing':
      return { ...state, sizing: action.payload };
    case 'funding':
      return { ...state, funding: action.payload };
    case 'strategyFiles':
      return { ...state, strategyFiles: action.payload };
    case 'backtest':
      return state.backtest && state.backtest.id !== action.payload.id && action.payload.phase !== 'fetching' ? state : { ...state, backtest: action.payload };
    case 'dataDisk':
      return { ...state, dataDisk: action.payload };
    case 'drill':
      return { ...state, drill: action.payload };
    case 'candle':
    case 'ticker':
      return state;
  }
}

/** The renderer's one reducer: pure, so every panel sees the same state. */
export function cockpitReducer(state: CockpitState, action: CockpitAction): CockpitState {
  switch (action.type) {
    case 'link':
      return state.link === action.status ? state : { ...state, link: action.status };
    case 'snapshot':
      return applySnapshot(state, action.snapshot, action.newer ?? new Set());
    case 'snapshot-failed':
      return { ...state, snapshotError: action.message };
    case 'journal-tail':
      return { ...state, journal: mergeJournal(state.journal, action.entries) };
    case 'credentials':
      return { ...state, credentials: action.status };
    case 'dismiss':
      return { ...state, notifications: state.notifications.filter((n) => n.id !== action.id) };
    case 'event':
      return applyEvent(state, action);
  }
}
