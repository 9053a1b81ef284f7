import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineEvents, EventName } from '../../../shared/contract';
import type { JournalEntry } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import { MemoryCredentialVault } from '../credential-vault';
import { Engine, type EngineOptions } from '../engine';
import type { ExchangeAdapter } from '../exchange/adapter';
import { createPaperAdapter, type PaperAdapter } from '../exchange/paper-adapter';
import { onTestFinished } from 'vitest';
import { MemorySettingsStore } from '../settings-store';
import type { Disk } from '../persistence/disk';
import type { FailingDisk } from './failing-disk';
import { createDrillFeed } from '../drills/drill-feed';
import type { PriceFeed } from '../sim/types';

/** 2025-01-01T00:00:00Z: where the simulated clock of a test engine starts. */
export const START = Date.UTC(2025, 0, 1);

export interface PaperEngineOptions {
  /** Last prices per symbol; change them and advance the clock to move the market. */
  prices?: Record<string, number>;
  settings?: (defaults: Settings) => Settings;
  /** Wraps the paper adapter, e.g. to inject a specific exchange failure. */
  wrap?: (adapter: PaperAdapter) => ExchangeAdapter;
  dataDir?: string;
  faults?: string;
  trading?: EngineOptions['trading'];
  /** The disk the engine writes its data folder through, e.g. a {@link FailingDisk}'s. */
  disk?: Disk;
  /** Lets crash drills play over the test's prices (the engine gets a drill stage). */
  drills?: boolean;
}

/**
 * An engine on a paper exchange whose clock moves only when the test says so
 * and whose prices are whatever the test sets: deterministic, no network.
 */
export async function paperEngine(options: PaperEngineOptions = {}) {
  const prices: Record<string, number> = { 'BTC/USDT:USDT': 60_000, 'ETH/USDT:USDT': 3_000, 'SOL/USDT:USDT': 150, 'XRP/USDT:USDT': 0.6, ...options.prices };
  const baseFeed: PriceFeed = { next: (symbol) => ({ price: prices[symbol] ?? 1, volume: 1 }) };
  const drillFeed = options.drills ? createDrillFeed(baseFeed) : null;
  const paper = createPaperAdapter({
    manualClock: true,
    now: () => START,
    feed: drillFeed ?? baseFeed,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  paper.sim.advanceTo(START + 60 * 60_000);
  const adapter = options.wrap ? options.wrap(paper) : paper;
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-engine-'));
  const settings = (options.settings ?? ((s) => s))(structuredClone(DEFAULT_SETTINGS));
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const engine = new Engine({
    dataDir,
    adapter,
    settingsStore: new MemorySettingsStore(settings),
    vault: new MemoryCredentialVault(),
    now: () => paper.sim.now(),
    ...(drillFeed ? { drills: { feed: drillFeed, simNow: () => paper.sim.now() } } : {}),
    trading: { reconcileIntervalMs: 0, retry: { sleep: async () => {} }, recordBacktests: false, ...options.trading },
    diskProbeMs: 0,
    ...(options.disk ? { disk: options.disk } : {}),
  });
  engine.bus.subscribe((event, payload) => events.push({ event, payload }));
  // Every engine a test makes is stopped when the test ends (a stop already made is not repeated).
  onTestFinished(() => engine.stop());
  return {
    engine,
    paper,
    adapter,
    prices,
    dataDir,
    events,
    /** Moves the simulated clock, so triggers, fills and bars happen. */
    advance(ms: number) {
      paper.sim.advanceTo(paper.sim.now() + ms);
    },
    /** Moves one price and lets the simulator see it. */
    setPrice(symbol: string, price: number, ms = 1_000) {
      prices[symbol] = price;
      paper.sim.advanceTo(paper.sim.now() + ms);
    },
    journal(): JournalEntry[] {
      return fs
        .readFileSync(path.join(dataDir, 'journal', 'journal.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as JournalEntry);
    },
    last<E extends EventName>(event: E): EngineEvents[E] | undefined {
      return events.filter((e) => e.event === event).at(-1)?.payload as EngineEvents[E] | undefined;
    },
  };
}

/** Lets queued microtasks and immediates run (stream events, coalesced emits). */
export async function flush(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Starts the engine and opens the tests' usual BTC long (stop 58,800, take-profit 62,400, 5x) from a ticket it approves; returns the proposal. */
export async function openBtcLong(harness: Pick<Awaited<ReturnType<typeof paperEngine>>, 'engine'>) {
  await harness.engine.start();
  const proposal = await harness.engine.handlers['proposal.create']({ symbol: 'BTC/USDT:USDT', side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
  await harness.engine.handlers['proposal.approve']({ id: proposal.id });
  return proposal;
}
