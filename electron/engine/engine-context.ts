import type { Settings } from '../../shared/settings';
import type { CredentialVault } from './credential-vault';
import type { EventBus } from './event-bus';
import type { ExchangeAdapter } from './exchange/adapter';
import type { ExecutionLock } from './execution-lock';
import type { Journal } from './journal';

/** What every domain of the engine may reach. Built once by {@link Engine}. */
export interface EngineContext {
  readonly bus: EventBus;
  readonly journal: Journal;
  readonly lock: ExecutionLock;
  readonly adapter: ExchangeAdapter;
  readonly vault: CredentialVault;
  now(): number;
  settings(): Settings;
  updateSettings(settings: Settings): void;
}
