/**
 * Breaker reaction time: the real engine, live mode, ccxt's binanceusdm against a venue in its own
 * process with 50 ms injected into every REST request. For each sample a 10x isolated BTC long is opened
 * on the venue by another client (as a user would); once the engine has seen it, one mark update takes
 * it past a breaker's threshold. A sample is the time from that update leaving the venue until the
 * breaker's first reduce-only order reaches the venue's matching engine (so the injected 50 ms is in it).
 *
 *   breaker_reaction          the liquidation-distance breaker (5%) closing the position
 *   margin_cut_reaction       the margin-ratio breaker cutting it by 30%
 *   drawdown_flatten_reaction the drawdown breaker's flatten closing it
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Interface } from 'node:readline';
import ccxt from 'ccxt';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { MemoryCredentialVault } from '../../electron/engine/credential-vault';
import { Engine } from '../../electron/engine/engine';
import { createCcxtAdapter } from '../../electron/engine/exchange/ccxt-adapter';
import { MemorySettingsStore } from '../../electron/engine/settings-store';
import { pointCcxtAtVenue } from '../../electron/venue/ccxt-urls';
import { startVenueProcess } from './venue-process';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VENUE_SCRIPT = path.join(ROOT, 'tests/bench/controlled-venue.ts');
const BTC = 'BTC/USDT:USDT';
const epochMs = () => performance.timeOrigin + performance.now();
const ENTRY = 60_000;
/** How far the engine's clock jumps between samples, so each breaker's hold and action interval have passed. */
const CLOCK_STEP_MS = 10 * 60_000;

interface Kind {
  name: 'breaker_reaction' | 'margin_cut_reaction' | 'drawdown_flatten_reaction';
  breaker: string;
  quantity: number;
  /** The one mark that crosses the threshold. */
  crossAt: number;
  breakers: Partial<Settings['breakers']>;
}

/**
 * A 10x isolated long at 60,000 is liquidated near 54,200: 5% from it is 57,070. Its margin ratio is 4% at
 * entry and passes 6% below 58,000. Ten of them (600,000 USDT) on 10 million lose 0.15% of equity by 58,500.
 */
const KINDS: readonly Kind[] = [
  { name: 'breaker_reaction', breaker: 'liquidation-distance', quantity: 0.1, crossAt: 56_800, breakers: { liquidationDistancePct: 5 } },
  { name: 'margin_cut_reaction', breaker: 'margin-ratio', quantity: 0.1, crossAt: 57_800, breakers: { marginRatioWarnPct: 5, marginRatioEmergencyPct: 6, marginRatioReduceFraction: 0.3, liquidationDistancePct: 1 } },
  { name: 'drawdown_flatten_reaction', breaker: 'drawdown', quantity: 10, crossAt: 58_300, breakers: { maxDrawdownPct: 0.15, liquidationDistancePct: 1 } },
];

const LOOSE: Partial<Settings['breakers']> = { dailyLossPct: 100, weeklyLossPct: 100, maxDrawdownPct: 100, consecutiveLosses: 1_000, maxTotalMarginPct: 100, maxPositionMarginPct: 100, marginRatioWarnPct: 90, marginRatioEmergencyPct: 95 };

class VenueProcess {
  private readonly waiting: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  readonly orders: Array<{ symbol: string; reduceOnly: boolean; at: number }> = [];

  private constructor(
    readonly url: string,
    readonly apiKey: string,
    readonly apiSecret: string,
    private readonly child: ChildProcess,
    lines: Interface,
  ) {
    lines.on('line', (line) => {
      const order = /^order (\S+) (true|false) ([\d.]+)$/.exec(line);
      if (order) this.orders.push({ symbol: order[1]!, reduceOnly: order[2] === 'true', at: Number(order[3]) });
      const i = this.waiting.findIndex((w) => w.match(line));
      if (i >= 0) this.waiting.splice(i, 1)[0]!.resolve(line);
    });
  }

  static async start(latencyMs: number): Promise<VenueProcess> {
    const { url, apiKey, apiSecret, child, lines } = await startVenueProcess(VENUE_SCRIPT, ['--latency-ms', String(latencyMs)], 'pipe');
    return new VenueProcess(url, apiKey, apiSecret, child, lines);
  }

  setPrice(symbol: string, price: number): void {
    this.child.stdin!.write(`price ${symbol} ${price}\n`);
  }

  /** Moves the clock; resolves with the epoch time just before the mark updates left. */
  async advance(ms: number): Promise<number> {
    const answer = new Promise<string>((resolve) => this.waiting.push({ match: (line) => line.startsWith('advanced '), resolve }));
    this.child.stdin!.write(`advance ${ms}\n`);
    return Number((await answer).split(' ')[1]);
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function reactionLine(name: string, samplesMs: readonly number[]): string {
  return `${name}: p50_ms=${percentile(samplesMs, 50).toFixed(1)} p99_ms=${percentile(samplesMs, 99).toFixed(1)} samples=${samplesMs.length}`;
}

async function measure(venue: VenueProcess, kind: Kind, samples: number): Promise<number[]> {
  let offset = 0;
  const settings: Settings = {
    ...structuredClone(DEFAULT_SETTINGS),
    risk: { ...DEFAULT_SETTINGS.risk, maxLeverage: 20 },
    breakers: { ...DEFAULT_SETTINGS.breakers, ...LOOSE, ...kind.breakers },
    strategies: DEFAULT_SETTINGS.strategies.map((s) => ({ ...s, enabled: false })),
  };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `cockpit-bench-${kind.breaker}-`));
  const adapter = createCcxtAdapter({ exchange: 'binanceusdm', credentials: { apiKey: venue.apiKey, apiSecret: venue.apiSecret }, exchangeUrl: venue.url, enableRateLimit: false });
  const engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(settings), vault: new MemoryCredentialVault(), now: () => Date.now() + offset });
  const trader = pointCcxtAtVenue(new ccxt.binanceusdm({ apiKey: venue.apiKey, secret: venue.apiSecret, enableRateLimit: false, timeout: 10_000 }), venue.url);
  const heldByVenue = async () => Math.abs((await trader.fetchPositions([BTC])).find((p) => p.symbol === BTC)?.contracts ?? 0);
  const heldByEngine = () => engine.trading.book.positionViews().find((p) => p.symbol === BTC)?.contracts ?? 0;
  const timings: number[] = [];
  let flattens = 0;
  const stamps: Record<string, number> = {};
  engine.bus.subscribe((event, payload) => {
    if (event === 'flatten') flattens++;
    if (event === 'journal') {
      const type = (payload as { type: string }).type;
      if (['breaker.trip', 'breaker.action', 'order.request', 'flatten.start', 'position.close', 'position.reduce'].includes(type)) stamps[type] ??= epochMs();
    }
  });
  engine.trading.market.onMark((ticker) => {
    if (ticker.symbol === BTC && ticker.mark === kind.crossAt) stamps.mark ??= epochMs();
  });
  const split: Record<string, number[]> = {};
  try {
    venue.setPrice(BTC, ENTRY);
    await venue.advance(1_000);
    await trader.loadMarkets();
    await engine.start();
    // one warm-up sample, not counted
    for (let sample = 0; sample <= samples; sample++) {
      venue.setPrice(BTC, ENTRY);
      await venue.advance(1_000);
      await trader.createOrder(BTC, 'market', 'buy', kind.quantity);
      // a position opened outside the cockpit is adopted, with its leverage and liquidation price, by a reconcile
      await engine.trading.reconcile('benchmark: a position opened outside the cockpit');
      await waitFor(
        () => Math.abs(heldByEngine() - kind.quantity) < 1e-9 && engine.trading.book.markPrice(BTC) === ENTRY && engine.trading.book.positionViews()[0]?.liquidationPrice != null,
        'the engine to see the new long, its liquidation price and the entry mark',
      );
      const seen = venue.orders.length;
      for (const key of Object.keys(stamps)) delete stamps[key];
      venue.setPrice(BTC, kind.crossAt);
      const left = await venue.advance(1_000);
      await waitFor(() => venue.orders.slice(seen).some((o) => o.reduceOnly), `the ${kind.breaker} breaker's order`);
      const reached = venue.orders.slice(seen).find((o) => o.reduceOnly)!.at;
      if (sample > 0) {
        timings.push(reached - left);
        for (const [key, at] of Object.entries(stamps)) (split[key] ??= []).push(at - left);
      }
      const rest = await (async () => {
        if (kind.name !== 'margin_cut_reaction') return 0;
        await waitFor(async () => (await heldByVenue()) < kind.quantity - 1e-9, 'the cut to fill');
        return heldByVenue();
      })();
      if (rest > 0) await trader.createOrder(BTC, 'market', 'sell', rest, undefined, { reduceOnly: true });
      await waitFor(async () => (await heldByVenue()) === 0, 'the venue to be flat');
      await waitFor(() => heldByEngine() === 0, 'the engine to see the account flat');
      if (kind.breaker === 'drawdown') {
        await waitFor(() => flattens > sample, 'the drawdown flatten to report');
        await engine.handlers['breaker.reset']({ id: 'drawdown', confirmation: 'drawdown' });
      }
      offset += CLOCK_STEP_MS;
    }
    process.stderr.write(
      `bench: ${kind.name} from the update leaving the venue (p50 ms): ${Object.entries(split)
        .map(([key, values]) => `${key} ${percentile(values, 50).toFixed(1)}`)
        .join(', ')}, order at the venue ${percentile(timings, 50).toFixed(1)}\n`,
    );
    return timings;
  } finally {
    await engine.stop().catch(() => undefined);
    await trader.close?.().catch?.(() => undefined);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Runs the three measurements on one venue; returns their lines. */
export async function benchBreakerReactions(options: { samples?: number; latencyMs?: number } = {}): Promise<string[]> {
  const samples = options.samples ?? 50;
  const venue = await VenueProcess.start(options.latencyMs ?? 50);
  try {
    const trader = pointCcxtAtVenue(new ccxt.binanceusdm({ apiKey: venue.apiKey, secret: venue.apiSecret, enableRateLimit: false }), venue.url);
    await trader.loadMarkets();
    await trader.setMarginMode('isolated', BTC);
    await trader.setLeverage(10, BTC);
    const lines: string[] = [];
    for (const kind of KINDS) lines.push(reactionLine(kind.name, await measure(venue, kind, samples)));
    return lines;
  } finally {
    venue.stop();
  }
}
