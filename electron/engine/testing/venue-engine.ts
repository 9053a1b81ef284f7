import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { JournalEntry } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import { startVenue, type Venue, type VenueOptions } from '../../venue/server';
import { MemoryCredentialVault } from '../credential-vault';
import { Engine, type EngineOptions } from '../engine';
import type { ExchangeAdapter } from '../exchange/adapter';
import { createCcxtAdapter } from '../exchange/ccxt-adapter';
import { MemorySettingsStore } from '../settings-store';
import type { Disk } from '../persistence/disk';
import type { FailingDisk } from './failing-disk';

/** Starts the Binance-compatible venue on loopback. */
export function venue(options: VenueOptions = {}): Promise<Venue> {
  return startVenue(options);
}

export interface VenueEngineOptions {
  dataDir?: string;
  settings?: (defaults: Settings) => Settings;
  trading?: EngineOptions['trading'];
  /** Wraps the engine's ccxt adapter, e.g. to hold one request back. */
  adapter?: (adapter: ExchangeAdapter) => ExchangeAdapter;
  /** The URL to reach the venue by (default its own), e.g. a proxy in front of it: the account is named after it. */
  exchangeUrl?: string;
  /** The disk the engine writes its data folder through, e.g. a {@link FailingDisk}'s. */
  disk?: Disk;
}

/** An engine in live mode: ccxt's binanceusdm pointed at the venue with `--exchange-url`, as headless would run it. */
export function venueEngine(v: Venue, options: VenueEngineOptions = {}) {
  const adapter = createCcxtAdapter({
    exchange: 'binanceusdm',
    credentials: { apiKey: v.apiKey, apiSecret: v.apiSecret },
    exchangeUrl: options.exchangeUrl ?? v.url,
    enableRateLimit: false,
    timeoutMs: 3_000,
  });
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-venue-'));
  const settings = (options.settings ?? ((s) => s))(structuredClone(DEFAULT_SETTINGS));
  const engine = new Engine({
    dataDir,
    adapter: options.adapter ? options.adapter(adapter) : adapter,
    settingsStore: new MemorySettingsStore(settings),
    vault: new MemoryCredentialVault(),
    trading: { reconcileIntervalMs: 0, ...options.trading },
    diskProbeMs: 0,
    ...(options.disk ? { disk: options.disk } : {}),
  });
  return {
    engine,
    adapter,
    dataDir,
    journal: () => readJournal(dataDir),
  };
}

function readJournal(dataDir: string): JournalEntry[] {
  return fs
    .readFileSync(path.join(dataDir, 'journal', 'journal.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalEntry];
      } catch {
        return [];
      }
    });
}

/** Waits, polling, until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
