import type { CredentialVault } from './credential-vault';
import { Engine } from './engine';
import type { ExchangeAdapter } from './exchange/adapter';
import { createPaperAdapter } from './exchange/paper-adapter';
import type { SettingsStore } from './settings-store';

/** Live trading on a real (or test) exchange through ccxt. */
export interface LiveVenue {
  /** A ccxt exchange id, e.g. `binanceusdm`. */
  exchange: string;
  /** Overrides the exchange's REST and WebSocket base URL (testnets, the local venue). */
  exchangeUrl?: string;
  testnet?: boolean;
}

/** The simulated exchange of paper mode; every field has a sensible default. */
export interface PaperVenue {
  seed?: number;
  startBalance?: number;
  /** Simulated time runs this many times faster than the wall clock. */
  speed?: number;
  /** Fault-injection spec understood by the simulator, e.g. `timeout:0.05`. */
  faults?: string;
}

export interface BootstrapOptions {
  dataDir: string;
  settingsStore: SettingsStore;
  /** Holds the keys; live mode reads them from here. */
  vault: CredentialVault;
  /** Live mode when given; paper mode otherwise. */
  live?: LiveVenue;
  paper?: PaperVenue;
  now?: () => number;
}

/** The exchange adapter for the chosen venue; ccxt is loaded only for live mode. */
export async function createExchangeAdapter(options: Pick<BootstrapOptions, 'vault' | 'live' | 'paper' | 'now'>): Promise<ExchangeAdapter> {
  if (!options.live) {
    const paper = options.paper ?? {};
    return createPaperAdapter({
      ...(paper.seed !== undefined ? { seed: paper.seed } : {}),
      ...(paper.startBalance !== undefined ? { startBalance: paper.startBalance } : {}),
      ...(paper.speed !== undefined ? { speed: paper.speed } : {}),
      ...(paper.faults !== undefined ? { faults: paper.faults } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
  }
  const { createCcxtAdapter } = await import('./exchange/ccxt-adapter');
  const { exchange, exchangeUrl, testnet } = options.live;
  return createCcxtAdapter({
    exchange,
    credentials: options.vault.read(),
    ...(exchangeUrl !== undefined ? { exchangeUrl } : {}),
    ...(testnet !== undefined ? { testnet } : {}),
  });
}

/**
 * Builds the engine both hosts run (Electron's main process and `npm run
 * headless`): paper mode by default, live when `live` names an exchange.
 * The caller attaches its transport, then calls `engine.start()`.
 */
export async function createEngine(options: BootstrapOptions): Promise<Engine> {
  const adapter = await createExchangeAdapter(options);
  return new Engine({
    dataDir: options.dataDir,
    adapter,
    settingsStore: options.settingsStore,
    vault: options.vault,
    ...(options.now ? { now: options.now } : {}),
  });
}
