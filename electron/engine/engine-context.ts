import type { Notification, NotificationLevel, Proposal, StrategyStatus } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import type { AccountBook } from './account/account-book';
import type { EntryGates } from './entry-gates';
import type { DrawdownReading } from './breakers/drawdown-reading';
import type { MarketData } from './market-data/market-data';
import type { CredentialVault } from './credential-vault';
import type { EventBus } from './event-bus';
import type { ExchangeAdapter } from './exchange/adapter';
import type { ExecutionLock } from './execution-lock';
import type { Journal } from './journal';
import type { ModeHost } from './mode-host';
import type { DataDiskHealth } from './persistence/data-disk-health';

/** What every domain of the engine may reach. Built once by {@link Engine}. */
export interface EngineContext {
  readonly bus: EventBus;
  readonly journal: Journal;
  readonly lock: ExecutionLock;
  readonly adapter: ExchangeAdapter;
  readonly vault: CredentialVault;
  /** Folder for persisted engine state (the journal lives in its `journal/` subfolder). */
  readonly dataDir: string;
  /** Every write to `dataDir` goes through `dataDisk.watch(concern)`; while one fails, entries are refused and the user told. */
  readonly dataDisk: DataDiskHealth;
  now(): number;
  settings(): Settings;
  updateSettings(settings: Settings): void;
  /** The symbols the exchange lists, once its markets have loaded (empty before). */
  listedSymbols(): readonly string[];
  /** Checks every new entry passes besides the pre-trade rules; the breakers add theirs with `entryGates.add`. */
  readonly entryGates: EntryGates;
  /** The drawdown the strategies see; the breakers provide it from their persisted per-account equity peak. */
  readonly drawdown: DrawdownReading;
  /** Candles and tickers; `market.onMark` is the mark-price subscription. */
  readonly market: MarketData;
  /** The engine's view of the account: balance, positions (with origin), open orders. */
  readonly account: AccountBook;
  /** What the safety domain (flatten, breakers) may ask of trading. */
  readonly trading: TradingControls;
  /** Raises a notification for the user: journalled, then pushed. */
  notify(level: NotificationLevel, title: string, message: string): Notification;
  /** The host's trading-mode switch (Electron); absent when headless. */
  readonly host?: ModeHost;
  /** Where the exchange's URLs point instead (`--exchange-url`); the keys' connection test goes there too. */
  readonly exchangeUrl?: string;
}

/** Trading controls for the flatten and the breakers. Order-sending ones take the execution lock. */
export interface TradingControls {
  /** Stops the strategy loop (and so auto mode) until resumed. */
  haltStrategies(reason: string): void;
  /** Lets the strategies propose again if they are stopped for exactly this reason (a breaker's halt that has ended). */
  releaseStrategies(reason: string): void;
  /** Lets the strategies propose again; returns their statuses. */
  resumeStrategies(): StrategyStatus[];
  /** Rejects every pending proposal; returns them. */
  rejectAllProposals(reason: string): Proposal[];
  /** Closes a position with reduce-only market orders, then cancels its protective orders; returns contracts closed. */
  closePosition(symbol: string, reason: string): Promise<number>;
  /** Cuts a position by `fraction` (0-1] with a reduce-only market order; returns contracts closed. */
  reducePosition(symbol: string, fraction: number, reason: string): Promise<number>;
  /** Rebuilds the engine's view from the exchange now. */
  reconcile(reason: string): Promise<unknown>;
}
