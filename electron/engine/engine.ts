import type { CommandHandlers } from '../../shared/contract';
import type { Notification } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import type { CredentialVault } from './credential-vault';
import type { EngineContext } from './engine-context';
import { EventBus } from './event-bus';
import type { ExchangeAdapter } from './exchange/adapter';
import { AccountSetupError } from './exchange/errors';
import { ExecutionLock } from './execution-lock';
import { modeHandlers } from './handlers/mode';
import { safetyHandlers } from './handlers/safety';
import { sessionHandlers } from './handlers/session';
import { tradingHandlers } from './handlers/trading';
import { EntryGates } from './entry-gates';
import { Journal } from './journal';
import type { ModeHost } from './mode-host';
import type { SettingsStore } from './settings-store';
import { TradingService, type TradingServiceOptions } from './trading-service';
import { errorMessage } from '../../shared/error-message';

export interface EngineOptions {
  /** Folder for the journal and persisted engine state. */
  dataDir: string;
  adapter: ExchangeAdapter;
  settingsStore: SettingsStore;
  vault: CredentialVault;
  now?: () => number;
  /** The host's trading-mode switch (Electron); without it `mode.set` is refused. */
  host?: ModeHost;
  /** Where the exchange's URLs point instead (`--exchange-url`), for the keys' connection test. */
  exchangeUrl?: string;
  /** Fine-tuning of the trading domain (tests): reconcile interval, retry policy, strategies. */
  trading?: Pick<TradingServiceOptions, 'reconcileIntervalMs' | 'retry' | 'buildStrategy' | 'strategyEvaluators' | 'strategyTimeoutMs'>;
}

/** Wait between start attempts while the exchange does not answer. */
const START_RETRY_MS = 5_000;
/** How long a stop waits for work in progress (an approval, a close, a flatten) before it closes the journal. */
const STOP_SETTLE_MS = 15_000;

/**
 * The cockpit's engine: plain Node, no Electron. Hosts reach it only through
 * {@link Engine.handlers} (validated by the transports) and {@link Engine.bus}.
 */
export class Engine {
  readonly bus = new EventBus();
  readonly handlers: CommandHandlers;
  private readonly ctx: EngineContext;
  private currentSettings: Settings;
  /** The trading domain: market data, strategies, proposals, execution, reconciliation. */
  readonly trading: TradingService;
  private notificationSeq = 0;
  private startRetry: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private stopping: Promise<void> | null = null;

  constructor(private readonly options: EngineOptions) {
    const now = options.now ?? Date.now;
    this.currentSettings = options.settingsStore.load();
    const journal = new Journal({ dir: `${options.dataDir}/journal`, now, onEntry: (entry) => this.bus.emit('journal', entry) });
    const lock = new ExecutionLock();
    const entryGates = new EntryGates();
    const notify = (level: Notification['level'], title: string, message: string): Notification => {
      const notification: Notification = { id: `n${now().toString(36)}-${++this.notificationSeq}`, level, title, message, time: now() };
      journal.record('notification', notification);
      this.bus.emit('notification', notification);
      return notification;
    };
    this.trading = new TradingService({
      adapter: options.adapter,
      lock,
      journal,
      bus: this.bus,
      gates: entryGates,
      settings: () => this.currentSettings,
      now,
      notify,
      dataDir: options.dataDir,
      ...options.trading,
    });
    const trading = this.trading;
    this.ctx = {
      bus: this.bus,
      journal,
      lock,
      adapter: options.adapter,
      vault: options.vault,
      dataDir: options.dataDir,
      now,
      settings: () => this.currentSettings,
      updateSettings: (settings) => {
        this.currentSettings = settings;
        options.settingsStore.save(settings);
        this.bus.emit('settings', settings);
      },
      listedSymbols: () => trading.listedSymbols(),
      entryGates,
      market: trading.market,
      account: trading.book,
      notify,
      trading: {
        haltStrategies: (reason) => trading.runner.halt(reason),
        releaseStrategies: (reason) => trading.runner.release(reason),
        resumeStrategies: () => {
          trading.runner.resume();
          return trading.strategies();
        },
        rejectAllProposals: (reason) => trading.proposals.rejectAll(reason),
        closePosition: (symbol, reason) => trading.close(symbol, reason),
        reducePosition: (symbol, fraction, reason) => trading.reduce(symbol, fraction, reason),
        reconcile: (reason) => trading.reconcile(reason),
      },
      ...(options.host ? { host: options.host } : {}),
      ...(options.exchangeUrl !== undefined ? { exchangeUrl: options.exchangeUrl } : {}),
    };
    this.handlers = {
      ...sessionHandlers(this.ctx),
      ...tradingHandlers(this.ctx, trading),
      ...safetyHandlers(this.ctx),
      ...modeHandlers(this.ctx),
    } satisfies CommandHandlers;
  }

  /**
   * Starts trading: markets, reconciliation, streams, strategies. While the
   * exchange does not answer, it says so (connection state and a notification)
   * and keeps trying in the background; the commands answer meanwhile.
   */
  async start(): Promise<void> {
    this.ctx.journal.record('engine.start', { mode: this.options.adapter.mode, exchange: this.options.adapter.id });
    await this.tryStart();
  }

  /** Stops once; a later call (a second signal, a quit after a window close) waits for the same stop. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.startRetry) clearTimeout(this.startRetry);
    this.ctx.journal.record('engine.stop', {});
    await this.trading.stop();
    if (!(await this.ctx.lock.settled(STOP_SETTLE_MS))) this.ctx.journal.record('engine.stop.unsettled', { waitedMs: STOP_SETTLE_MS });
    await this.options.adapter.close();
    this.ctx.journal.close();
  }

  private async tryStart(): Promise<void> {
    try {
      await this.trading.start();
    } catch (error) {
      if (this.stopped) return;
      const message = errorMessage(error);
      const title = error instanceof AccountSetupError ? 'Exchange account not usable' : 'Exchange not reachable';
      this.ctx.notify('critical', title, `The engine could not start trading (${message}); retrying every ${START_RETRY_MS / 1000} s.`);
      this.trading.markStartFailed(message);
      this.startRetry = setTimeout(() => void this.tryStart(), START_RETRY_MS);
      this.startRetry.unref?.();
    }
  }
}
