import path from 'node:path';
import type { CredentialVault, Credentials } from './credential-vault';
import { createDrillFeed } from './drills/drill-feed';
import type { DrillStage } from './drills/drill-service';
import { loadScenarioFile, type Scenario } from './drills/scenario';
import { Engine } from './engine';
import type { ExchangeAdapter } from './exchange/adapter';
import type { ModeHost } from './mode-host';
import { createPaperAdapter, type PaperAdapter } from './exchange/paper-adapter';
import type { SettingsStore } from './settings-store';
import { errorMessage } from '../../shared/error-message';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { chooseOpeningSeedInWorkers, type OpeningSeedJob, type PaperSeed } from './opening-seed';
import { openPaperFeed, type FeedChoice } from './sim/feeds/feed-choice';
import type { PublicMarketData } from './sim/feeds/live';
import { defaultMarkets } from './sim/markets';
import type { SimSpeed } from './sim/sim-runner';

/** Live trading on a real (or test) exchange through ccxt. */
export interface LiveVenue {
  /** A ccxt exchange id, e.g. `binanceusdm`. */
  exchange: string;
  /** Overrides the exchange's REST and WebSocket base URL (testnets, the local venue). */
  exchangeUrl?: string;
  /** The exchange's testnet, where it has one for futures (shared/practice-accounts.ts). */
  testnet?: boolean;
  /** The exchange's demo trading, where it has it. */
  demo?: boolean;
}

/** The simulated exchange of paper mode; every field has a sensible default. */
export interface PaperVenue {
  seed?: number;
  startBalance?: number;
  /** Simulated time runs this many times faster than the wall clock, or `max`: as fast as possible (see PaperAdapterOptions.speed). */
  speed?: SimSpeed;
  /** Fault-injection spec understood by the simulator (sim/faults.ts), e.g. `latency=50,5xx=0.1,timeout=0.05`. */
  faults?: string;
  /** Where the simulated clock starts (synthetic prices only; default now). */
  startTime?: number;
  /**
   * Where prices come from (default synthetic). A replay gives the named symbols the file's prices
   * and the other markets synthetic ones; a live feed runs in real time only (no `speed`).
   */
  feed?: FeedChoice;
  /** A crash drill to play (`--scenario FILE`), starting `atS` simulated seconds after the start (default 0). */
  scenario?: { file: string; atS?: number };
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
  /** The host's trading-mode switch (Electron); headless passes none. */
  host?: ModeHost;
  /** The keyless exchange a live price feed reads (default: ccxt's, loaded only then). Tests pass a fake. */
  publicMarketData?: (exchange: string) => PublicMarketData | Promise<PublicMarketData>;
  /** How long a live price feed may take to load its first prices (default 20 s). */
  liveFeedTimeoutMs?: number;
  /** The folder of the user's strategy files (default `<dataDir>/strategies`). */
  strategiesDir?: string;
  /** The host's way to show a folder to the user (Electron's file manager); headless passes none. */
  openFolder?: (folder: string) => Promise<void>;
}

/** ccxt's exchange `id` with no keys, for public market data only. */
async function ccxtPublicMarketData(id: string): Promise<PublicMarketData> {
  const { default: ccxt } = await import('ccxt');
  if (!ccxt.exchanges.includes(id)) throw new Error(`ccxt has no exchange "${id}" (e.g. binanceusdm, bybit, okx)`);
  const Exchange = (ccxt as unknown as Record<string, new (config: Record<string, unknown>) => PublicMarketData>)[id]!;
  return new Exchange({ enableRateLimit: true, timeout: 10_000, options: { defaultType: 'swap', fetchCurrencies: false } });
}

interface PaperSetup {
  adapter: PaperAdapter;
  seed: PaperSeed;
  drills: DrillStage;
  /** The drill `--scenario` asked for, and the simulated time it starts at. */
  scenario: { id: string; scenario: Scenario; simStart: number } | null;
}

/**
 * The simulator's seed: the one given, or for synthetic prices with no drill the first whose
 * opening minutes give the account's strategies a setup (opening-seed.ts); 1 otherwise, or when
 * that search fails (the failure is kept, to be journalled).
 */
async function paperSeed(paper: PaperVenue, choice: FeedChoice, search: Omit<OpeningSeedJob, 'firstSeed' | 'seedsTried'>): Promise<PaperSeed> {
  const { startTime } = search;
  if (paper.seed !== undefined || choice.kind !== 'synthetic' || paper.scenario) return { seed: paper.seed ?? 1, startTime, chosen: false, opening: null };
  try {
    const opening = await chooseOpeningSeedInWorkers(search);
    return { seed: opening?.seed ?? 1, startTime, chosen: true, opening };
  } catch (error) {
    return { seed: 1, startTime, chosen: true, opening: null, searchError: errorMessage(error) };
  }
}

async function createPaperVenue(
  paper: PaperVenue,
  options: Pick<BootstrapOptions, 'now' | 'publicMarketData' | 'liveFeedTimeoutMs'> & Partial<Pick<BootstrapOptions, 'settingsStore'>>,
): Promise<PaperSetup> {
  const choice = paper.feed ?? { kind: 'synthetic' };
  if (choice.kind === 'live' && paper.speed !== undefined && paper.speed !== 1) {
    throw new Error(`The live price feed runs in real time: drop the speed (got ${paper.speed})`);
  }
  const markets = defaultMarkets();
  const scenario = paper.scenario ? loadScenarioFile(paper.scenario.file) : null;
  const startTime = Math.floor((paper.startTime ?? (options.now ?? Date.now)()) / 1000) * 1000;
  const chosenSeed = await paperSeed(paper, choice, { startTime, markets, settings: options.settingsStore?.load() ?? DEFAULT_SETTINGS });
  const opened = await openPaperFeed({
    choice,
    symbols: markets.map((m) => m.symbol),
    seed: chosenSeed.seed,
    publicMarketData: options.publicMarketData ?? ccxtPublicMarketData,
    ...(options.liveFeedTimeoutMs !== undefined ? { liveTimeoutMs: options.liveFeedTimeoutMs } : {}),
  });
  const feed = createDrillFeed(opened.feed);
  let adapter: PaperAdapter;
  try {
    adapter = createPaperAdapter({
      seed: chosenSeed.seed,
      markets,
      feed,
      ...(paper.startBalance !== undefined ? { startBalance: paper.startBalance } : {}),
      ...(paper.speed !== undefined ? { speed: paper.speed } : {}),
      ...(paper.faults !== undefined ? { faults: paper.faults } : {}),
      startTime,
      ...(options.now ? { now: options.now } : {}),
    });
  } catch (error) {
    opened.close();
    throw error;
  }
  const simNow = () => adapter.sim.now();
  return {
    adapter: {
      ...adapter,
      close: async () => {
        opened.close();
        await adapter.close();
      },
    },
    drills: { feed, simNow },
    seed: chosenSeed,
    scenario: scenario ? { id: `file:${path.basename(paper.scenario!.file)}`, scenario, simStart: simNow() + (paper.scenario!.atS ?? 0) * 1000 } : null,
  };
}

/** The exchange adapter for the chosen venue; ccxt is loaded only for live mode or the live price feed. */
export async function createExchangeAdapter(
  options: Pick<BootstrapOptions, 'vault' | 'live' | 'paper' | 'now' | 'publicMarketData' | 'liveFeedTimeoutMs'>,
): Promise<ExchangeAdapter> {
  if (!options.live) return (await createPaperVenue(options.paper ?? {}, options)).adapter;
  const { createCcxtAdapter } = await import('./exchange/ccxt-adapter');
  const { exchange, exchangeUrl, testnet, demo } = options.live;
  const credentials = options.vault.read();
  if (credentials) refuseKeysOfAnotherAccount(credentials, options.live);
  return createCcxtAdapter({
    exchange,
    credentials,
    ...(exchangeUrl !== undefined ? { exchangeUrl } : {}),
    ...(testnet !== undefined ? { testnet } : {}),
    ...(demo !== undefined ? { demo } : {}),
  });
}

/** Stored keys are used only with the exchange and practice account they were saved for. */
function refuseKeysOfAnotherAccount(keys: Pick<Credentials, 'exchange' | 'testnet' | 'demo'>, live: LiveVenue): void {
  const account = (testnet: boolean, demo: boolean) => (testnet ? 'testnet' : demo ? 'demo trading' : 'real account');
  const stored = `${keys.exchange} (${account(keys.testnet, keys.demo)})`;
  const wanted = `${live.exchange} (${account(live.testnet ?? false, live.demo ?? false)})`;
  if (stored !== wanted) throw new Error(`The stored keys were saved for ${stored}, not ${wanted}: store that account's keys, or trade on ${stored}`);
}

/**
 * Builds the engine both hosts run (Electron's main process and `npm run
 * headless`): paper mode by default, live when `live` names an exchange.
 * The caller attaches its transport, then calls `engine.start()`.
 */
export async function createEngine(options: BootstrapOptions): Promise<Engine> {
  const paper = options.live ? null : await createPaperVenue(options.paper ?? {}, options);
  const adapter = paper ? paper.adapter : await createExchangeAdapter(options);
  const engine = new Engine({
    dataDir: options.dataDir,
    adapter,
    ...(paper ? { drills: paper.drills, paperSeed: paper.seed } : {}),
    settingsStore: options.settingsStore,
    vault: options.vault,
    ...(options.now ? { now: options.now } : {}),
    ...(options.host ? { host: options.host } : {}),
    ...(options.live?.exchangeUrl !== undefined ? { exchangeUrl: options.live.exchangeUrl } : {}),
    ...(options.strategiesDir ? { strategiesDir: options.strategiesDir } : {}),
    ...(options.openFolder ? { openFolder: options.openFolder } : {}),
  });
  if (paper?.scenario) engine.drills.schedule(paper.scenario.id, paper.scenario.scenario, paper.scenario.simStart);
  return engine;
}
