/**
 * Flatten latency: the real engine, live mode, ccxt's binanceusdm against the
 * venue in its own process with a 50 ms round trip injected into every REST
 * request. Ten positions, each with a stop-loss and a take-profit, are opened
 * on the venue by another client (as a user would); once the engine has seen
 * them on its streams, the `flatten` command is timed until it returns, which
 * is when the venue has confirmed, over REST, that no position and no order is
 * left. A separate client then checks the venue is flat.
 *
 * The first run warms the code paths up and is not counted; the figure is the
 * median of the measured runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ccxt from 'ccxt';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { MemoryCredentialVault } from '../../electron/engine/credential-vault';
import { Engine } from '../../electron/engine/engine';
import { createCcxtAdapter } from '../../electron/engine/exchange/ccxt-adapter';
import { tenMarkets } from '../../electron/engine/flatten/flatten-fixtures';
import { MemorySettingsStore } from '../../electron/engine/settings-store';
import { pointCcxtAtVenue } from '../../electron/venue/ccxt-urls';
import { startVenueProcess } from './venue-process';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VENUE_SCRIPT = path.join(ROOT, 'tests/bench/ten-market-venue.ts');
const NOTIONAL_USDT = 2_000;

export interface FlattenBenchOptions {
  positions?: number;
  rttMs?: number;
  /** Measured runs, after one warm-up run. */
  runs?: number;
}

export interface FlattenBenchResult {
  positions: number;
  rttMs: number;
  /** Median wall time of the measured runs. */
  wallMs: number;
  runsMs: number[];
  warmUpMs: number;
}

/**
 * The line the issue asks for, `flatten: positions=N rtt_ms=RTT wall_ms=W ratio=R`:
 * W is the median in whole milliseconds and R = W / RTT to two decimals, from the W printed.
 */
export function flattenLine({ positions, rttMs, wallMs }: FlattenBenchResult): string {
  const printedWallMs = Math.round(wallMs);
  return `flatten: positions=${positions} rtt_ms=${rttMs} wall_ms=${printedWallMs} ratio=${(printedWallMs / rttMs).toFixed(2)}`;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000, detail: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what} ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A trader's own client, outside the cockpit, placing positions with protection straight on the venue. */
type Trader = InstanceType<typeof ccxt.binanceusdm>;

async function openProtected(trader: Trader, symbol: string, side: 'buy' | 'sell'): Promise<void> {
  const ticker = await trader.fetchTicker(symbol);
  const price = ticker.last!;
  const amount = Number(trader.amountToPrecision(symbol, NOTIONAL_USDT / price));
  await trader.createOrder(symbol, 'market', side, amount);
  const exit = side === 'buy' ? 'sell' : 'buy';
  const away = (f: number) => Number(trader.priceToPrecision(symbol, price * f));
  const [stop, takeProfit] = side === 'buy' ? [away(0.9), away(1.1)] : [away(1.1), away(0.9)];
  await Promise.all([
    trader.createOrder(symbol, 'market', exit, amount, undefined, { stopLossPrice: stop, workingType: 'MARK_PRICE', closePosition: true }),
    trader.createOrder(symbol, 'market', exit, amount, undefined, { takeProfitPrice: takeProfit, workingType: 'MARK_PRICE', reduceOnly: true }),
  ]);
}

async function venueIsFlat(trader: Trader): Promise<boolean> {
  const [positions, normal, conditional] = await Promise.all([
    trader.fetchPositions(),
    trader.fetchOpenOrders(),
    trader.fetchOpenOrders(undefined, undefined, undefined, { trigger: true }),
  ]);
  return positions.every((p) => !p.contracts) && normal.length === 0 && conditional.length === 0;
}

export async function benchFlatten(options: FlattenBenchOptions = {}): Promise<FlattenBenchResult> {
  const positions = options.positions ?? 10;
  const rttMs = options.rttMs ?? 50;
  const runs = options.runs ?? 5;
  const symbols = tenMarkets().markets.map((m) => m.symbol).slice(0, positions);
  if (symbols.length < positions) throw new Error(`The benchmark venue has ${symbols.length} markets, fewer than ${positions} positions`);

  const venue = await startVenueProcess(VENUE_SCRIPT, ['--latency-ms', String(rttMs), '--seed', '7', '--balance', '1000000']);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-bench-flatten-'));
  const settings: Settings = { ...structuredClone(DEFAULT_SETTINGS), symbols, strategies: DEFAULT_SETTINGS.strategies.map((s) => ({ ...s, enabled: false })) };
  const adapter = createCcxtAdapter({
    exchange: 'binanceusdm',
    credentials: { apiKey: venue.apiKey, apiSecret: venue.apiSecret },
    exchangeUrl: venue.url,
    // The venue enforces no request weight; the bench's reconciliations would otherwise spend ccxt's per-minute budget.
    enableRateLimit: false,
  });
  const engine = new Engine({ dataDir, adapter, settingsStore: new MemorySettingsStore(settings), vault: new MemoryCredentialVault() });
  const trader = pointCcxtAtVenue(new ccxt.binanceusdm({ apiKey: venue.apiKey, secret: venue.apiSecret, enableRateLimit: false, timeout: 10_000 }), venue.url);
  try {
    await trader.loadMarkets();
    await Promise.all(symbols.map((s) => trader.setLeverage(5, s)));
    await engine.start();
    const timings: number[] = [];
    for (let run = 0; run <= runs; run++) {
      await Promise.all(symbols.map((s, i) => openProtected(trader, s, i % 2 ? 'sell' : 'buy')));
      await engine.trading.reconcile('benchmark: positions opened outside the cockpit');
      await waitFor(
        () => engine.trading.book.positionViews().length === positions && engine.trading.book.openOrders().length === 2 * positions,
        'the engine to see every position and its stop and take-profit',
        20_000,
        () => `(it sees ${engine.trading.book.positionViews().length} positions and ${engine.trading.book.openOrders().length} orders)`,
      );
      const started = performance.now();
      const report = await engine.handlers.flatten({ reason: `benchmark run ${run}` });
      const wall = performance.now() - started;
      if (!report.flat) throw new Error(`The flatten did not end flat: ${report.remaining.join('; ')}`);
      if (!(await venueIsFlat(trader))) throw new Error('The venue still holds positions or orders after the flatten reported flat');
      timings.push(wall);
      await waitFor(() => engine.trading.book.positionViews().length === 0 && engine.trading.book.openOrders().length === 0, 'the engine to see the account flat');
    }
    const [warmUpMs, ...runsMs] = timings as [number, ...number[]];
    const sorted = [...runsMs].sort((a, b) => a - b);
    const wallMs = sorted[Math.floor(sorted.length / 2)]!;
    return { positions, rttMs, wallMs, runsMs, warmUpMs };
  } finally {
    await engine.stop().catch(() => undefined);
    await trader.close?.().catch?.(() => undefined);
    venue.child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
