import type { CommandHandlers } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import type { CredentialVault } from './credential-vault';
import type { EngineContext } from './engine-context';
import { EventBus } from './event-bus';
import type { ExchangeAdapter } from './exchange/adapter';
import { ExecutionLock } from './execution-lock';
import { safetyHandlers } from './handlers/safety';
import { sessionHandlers } from './handlers/session';
import { tradingHandlers } from './handlers/trading';
import { Journal } from './journal';
import type { SettingsStore } from './settings-store';

export interface EngineOptions {
  /** Folder for the journal and persisted engine state. */
  dataDir: string;
  adapter: ExchangeAdapter;
  settingsStore: SettingsStore;
  vault: CredentialVault;
  now?: () => number;
}

/**
 * The cockpit's engine: plain Node, no Electron. Hosts reach it only through
 * {@link Engine.handlers} (validated by the transports) and {@link Engine.bus}.
 */
export class Engine {
  readonly bus = new EventBus();
  readonly handlers: CommandHandlers;
  private readonly ctx: EngineContext;
  private currentSettings: Settings;

  constructor(private readonly options: EngineOptions) {
    const now = options.now ?? Date.now;
    this.currentSettings = options.settingsStore.load();
    const journal = new Journal({ dir: `${options.dataDir}/journal`, now, onEntry: (entry) => this.bus.emit('journal', entry) });
    this.ctx = {
      bus: this.bus,
      journal,
      lock: new ExecutionLock(),
      adapter: options.adapter,
      vault: options.vault,
      now,
      settings: () => this.currentSettings,
      updateSettings: (settings) => {
        this.currentSettings = settings;
        options.settingsStore.save(settings);
        this.bus.emit('settings', settings);
      },
    };
    this.handlers = {
      ...sessionHandlers(this.ctx),
      ...tradingHandlers(this.ctx),
      ...safetyHandlers(this.ctx),
    } satisfies CommandHandlers;
  }

  async start(): Promise<void> {
    this.ctx.journal.record('engine.start', { mode: this.options.adapter.mode, exchange: this.options.adapter.id });
  }

  async stop(): Promise<void> {
    this.ctx.journal.record('engine.stop', {});
    await this.options.adapter.close();
    this.ctx.journal.close();
  }
}
