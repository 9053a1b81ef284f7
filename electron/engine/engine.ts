import type { CommandHandlers } from '../../shared/contract';
import type { DataDiskStatus, Notification } from '../../shared/domain';
import type { Settings } from '../../shared/settings';
import type { CredentialVault } from './credential-vault';
import type { EngineContext } from './engine-context';
import { EventBus } from './event-bus';
import type { ExchangeAdapter } from './exchange/adapter';
import { AccountSetupError } from './exchange/errors';
import { ExecutionLock } from './execution-lock';
import { DrillService, type DrillStage } from './drills/drill-service';
import type { PaperSeed } from './opening-seed';
import { drillHandlers } from './handlers/drills';
import { modeHandlers } from './handlers/mode';
import { safetyHandlers } from './handlers/safety';
import { sessionHandlers } from './handlers/session';
import { strategyHandlers } from './handlers/strategies';
import { backtestHandlers } from './handlers/backtest';
import { BacktestJobs } from './backtest-jobs/backtest-jobs';
import { HistoryLoader } from './backtest-jobs/history-loader';
import { tradingHandlers } from './handlers/trading';
import { EntryGates } from './entry-gates';
import { DrawdownReading } from './breakers/drawdown-reading';
import { Journal, recordOrCarryOn } from './journal';
import type { ModeHost } from './mode-host';
import type { SettingsStore } from './settings-store';
import { TradingService, type TradingServiceOptions } from './trading-service';
import { accountFile } from './account/account-files';
import { MarginHistoryFile } from './margin-history/margin-history-file';
import { MarginRecorder } from './margin-history/margin-recorder';
import { errorMessage } from '../../shared/error-message';
import { DataDiskHealth } from './persistence/data-disk-health';
import { nodeDisk, type Disk } from './persistence/disk';

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
  /** The paper exchange's feed and clock, where crash drills play; absent in live mode (drills are refused). */
  drills?: DrillStage;
  /** How the paper exchange's seed was set, journalled with the start. */
  paperSeed?: PaperSeed;
  /** Fine-tuning of the trading domain (tests): reconcile interval, retry policy, strategies. */
  trading?: Pick<TradingServiceOptions, 'reconcileIntervalMs' | 'retry' | 'buildStrategy' | 'strategyEvaluators' | 'strategyTimeoutMs' | 'strategyFilesPollMs' | 'recordBacktests' | 'runBacktest'>;
  /** Where everything in `dataDir` is written (default Node's fs); tests make it fail. */
  disk?: Disk;
  /** How often, while the data folder cannot be written, a small write checks whether it can again (default 5 s; 0: never, tests probe themselves). */
  diskProbeMs?: number;
  /** The folder of the user's strategy files (default `<dataDir>/strategies`). */
  strategiesDir?: string;
  /** The host's way to show a folder to the user (Electron: the file manager); without it the folder's path is only reported. */
  openFolder?: (folder: string) => Promise<void>;
}

/** Wait between start attempts while the exchange does not answer. */
const START_RETRY_MS = 5_000;
/** How long a stop waits for work in progress (an approval, a close, a flatten) before it closes the journal. */
const STOP_SETTLE_MS = 15_000;
const DISK_PROBE_MS = 5_000;

/**
 * The cockpit's engine: plain Node, no Electron. Hosts reach it only through
 * {@link Engine.handlers} (validated by the transports) and {@link Engine.bus}.
 */
export class Engine {
  readonly bus = new EventBus();
  readonly handlers: CommandHandlers;
  private readonly ctx: EngineContext;
  /** Crash drills on the paper exchange (refused in live mode). */
  readonly drills: DrillService;
  /** How the paper exchange's seed was set; null in live mode. */
  get paperSeed(): PaperSeed | null {
    return this.options.paperSeed ?? null;
  }
  private currentSettings: Settings;
  /** The trading domain: market data, strategies, proposals, execution, reconciliation. */
  readonly trading: TradingService;
  /** The account's margin history (margin ratio, liquidation distances, margin calls). */
  readonly marginHistory: MarginRecorder;
  /** The Backtest view's runs. */
  readonly backtests: BacktestJobs;
  private notificationSeq = 0;
  private startRetry: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private stopping: Promise<void> | null = null;
  private diskProbe: ReturnType<typeof setInterval> | null = null;
  /** Whether the data folder can be written; while it cannot, the header warns and entries are refused. */
  readonly dataDisk: DataDiskHealth;

  constructor(private readonly options: EngineOptions) {
    const now = options.now ?? Date.now;
    this.dataDisk = new DataDiskHealth(options.disk ?? nodeDisk, { dataDir: options.dataDir, now });
    this.currentSettings = options.settingsStore.load();
    const journal = new Journal({ dir: `${options.dataDir}/journal`, now, onEntry: (entry) => this.bus.emit('journal', entry), disk: this.dataDisk.watch('the journal') });
    const lock = new ExecutionLock();
    const entryGates = new EntryGates();
    const drawdown = new DrawdownReading();
    const notify = (level: Notification['level'], title: string, message: string): Notification => {
      const notification: Notification = { id: `n${now().toString(36)}-${++this.notificationSeq}`, level, title, message, time: now() };
      recordOrCarryOn(journal, 'notification', notification);
      this.bus.emit('notification', notification);
      return notification;
    };
    this.watchDataDisk(journal, entryGates, notify);
    const settingsProblem = options.settingsStore.problem;
    if (settingsProblem) {
      recordOrCarryOn(journal, 'settings.unreadable', settingsProblem);
      const where = settingsProblem.movedTo ? ` They were moved to ${settingsProblem.movedTo}.` : '';
      notify('warning', 'Settings unreadable: started on safe defaults', `The saved settings could not be used (${settingsProblem.problem}).${where} Check the settings before trading.`);
    }
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
      strategiesDir: options.strategiesDir ?? `${options.dataDir}/strategies`,
      disk: (concern) => this.dataDisk.watch(concern),
      drawdownPct: () => drawdown.pct(),
      ...options.trading,
    });
    const trading = this.trading;
    const marginHistory = new MarginRecorder({
      book: trading.book,
      bus: this.bus,
      file: new MarginHistoryFile(accountFile(options.dataDir, 'margin-history', options.adapter), this.dataDisk.watch('the margin history')),
      now,
      report: (type, data) => journal.report(type, data),
    });
    this.marginHistory = marginHistory;
    let backtestSeq = 0;
    this.backtests = new BacktestJobs({
      history: new HistoryLoader(options.adapter, now, options.trading?.retry ?? {}),
      settings: () => this.currentSettings,
      files: trading.files?.files ?? null,
      publish: (job) => this.bus.emit('backtest', job),
      journal,
      newId: () => `bt${now().toString(36)}-${++backtestSeq}`,
    });
    this.ctx = {
      bus: this.bus,
      journal,
      lock,
      adapter: options.adapter,
      vault: options.vault,
      dataDir: options.dataDir,
      dataDisk: this.dataDisk,
      now,
      settings: () => this.currentSettings,
      updateSettings: (settings) => {
        this.currentSettings = settings;
        options.settingsStore.save(settings);
        this.bus.emit('settings', settings);
      },
      listedSymbols: () => trading.listedSymbols(),
      entryGates,
      drawdown,
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
        reducePosition: (symbol, fraction, reason) => {
          marginHistory.recordCut(symbol, fraction, reason);
          return trading.reduce(symbol, fraction, reason);
        },
        reconcile: (reason) => trading.reconcile(reason),
      },
      ...(options.host ? { host: options.host } : {}),
      ...(options.exchangeUrl !== undefined ? { exchangeUrl: options.exchangeUrl } : {}),
    };
    this.drills = new DrillService(this.ctx, options.drills ?? null);
    this.handlers = {
      ...sessionHandlers(this.ctx),
      ...tradingHandlers(this.ctx, trading),
      ...safetyHandlers(this.ctx),
      ...modeHandlers(this.ctx),
      'margin.history': async () => marginHistory.view(),
      ...strategyHandlers(this.ctx, trading, options.openFolder),
      ...backtestHandlers(this.backtests),
      ...drillHandlers(this.drills),
    } satisfies CommandHandlers;
  }

  /**
   * Starts trading: markets, reconciliation, streams, strategies. While the
   * exchange does not answer, it says so (connection state and a notification)
   * and keeps trying in the background; the commands answer meanwhile.
   */
  async start(): Promise<void> {
    recordOrCarryOn(this.ctx.journal, 'engine.start', {
      mode: this.options.adapter.mode,
      exchange: this.options.adapter.id,
      ...(this.options.paperSeed ? { paper: this.options.paperSeed } : {}),
    });
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
    if (this.diskProbe) clearInterval(this.diskProbe);
    recordOrCarryOn(this.ctx.journal, 'engine.stop', {});
    this.drills.dispose();
    this.backtests.stop();
    await this.trading.stop();
    this.marginHistory.stop();
    if (!(await this.ctx.lock.settled(STOP_SETTLE_MS))) recordOrCarryOn(this.ctx.journal, 'engine.stop.unsettled', { waitedMs: STOP_SETTLE_MS });
    await this.options.adapter.close();
    this.ctx.journal.close();
  }

  /**
   * While the data folder cannot be written: the header says why (the `dataDisk` event), new entries
   * are refused with that reason, and a small write checks every few seconds whether it can be again.
   */
  private watchDataDisk(journal: Journal, gates: EntryGates, notify: (level: Notification['level'], title: string, message: string) => Notification): void {
    this.dataDisk.onChange((status: DataDiskStatus) => {
      this.bus.emit('dataDisk', status);
      if (status.writable) {
        recordOrCarryOn(journal, 'data-disk.writable', {});
        notify('info', 'Data folder writable again', 'The journal and the engine state are being written again; new entries are allowed.');
      } else {
        notify('critical', status.message!, 'New entries are refused until the data folder can be written again. Closes, stop moves and the flatten still work.');
      }
    });
    gates.add(() => {
      const status = this.dataDisk.status();
      if (status.writable) return [];
      return [{ rule: 'data-disk', message: `${status.message}: new entries are refused until it can be written again (closes, stop moves and the flatten still work)` }];
    });
    const every = this.options.diskProbeMs ?? DISK_PROBE_MS;
    if (every > 0) {
      this.diskProbe = setInterval(() => {
        if (!this.dataDisk.writable) this.dataDisk.probe();
      }, every);
      this.diskProbe.unref?.();
    }
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
