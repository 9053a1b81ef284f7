import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultInjector, parseFaultSpec } from '../engine/sim/faults';
import { createSyntheticFeed } from '../engine/sim/feeds/synthetic';
import { defaultMarkets } from '../engine/sim/markets';
import { createSimExchange } from '../engine/sim/sim-exchange';
import { createDrillFeed } from '../engine/drills/drill-feed';
import type { Scenario } from '../engine/drills/scenario';
import { createSimRunner, maxSpeedUntil, type SimSpeed } from '../engine/sim/sim-runner';
import type { SimExchange } from '../engine/sim/types';
import { EventHistory } from './event-history';
import { ListenKeys } from './listen-keys';
import { MarketDirectory } from './market-directory';
import { Router } from './router';
import { accountRoutes } from './routes/account';
import { algoOrderRoutes } from './routes/algo-orders';
import { marketDataRoutes } from './routes/market-data';
import { orderRoutes } from './routes/orders';
import { userStreamRoutes } from './routes/user-stream';
import type { VenueContext } from './routes/venue-context';
import { StreamServer } from './stream-server';

export const DEFAULT_START_BALANCE = 10_000;
export const DEFAULT_SEED = 1;
/** The paper adapter's tick, so that both faces run the same simulation by default. */
export const DEFAULT_TICK_MS = 250;

export interface VenueOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Loopback only: 127.0.0.1 (default) or ::1. */
  host?: string;
  /** Fixed latency added to every REST request, in ms (overrides the fault spec's `latency`). */
  latencyMs?: number;
  /** A fault spec, e.g. `5xx=0.1,429=0.05,timeout=0.1,wsdrop=0.01` (see engine/sim/faults.ts). */
  faults?: string;
  /** Seeds the synthetic feed, the core and the fault injector (default 1). */
  seed?: number;
  /**
   * Simulated seconds per real second (default 1). 0 stops the clock: move it with {@link Venue.advanceTo}.
   * `max` runs one simulated day as fast as possible (the synthetic prices never end), then stops the clock.
   */
  speed?: SimSpeed;
  /** USDT in the futures wallet at start (default 10,000). */
  startBalance?: number;
  /** The account's API key and secret (default: random). */
  apiKey?: string;
  apiSecret?: string;
  /** Simulated start time (default: now). */
  startTime?: number;
  /** Runs this core instead of building one from the options above (its own seed, balance and start time apply). */
  exchange?: SimExchange;
  /** The clock listen keys expire by (default: the wall clock); tests move it to expire a key. */
  listenKeyClock?: () => number;
  /** A crash drill played over the synthetic prices (`--scenario FILE`); not with {@link exchange}. */
  scenario?: Scenario;
  /** Simulated seconds after the start at which {@link scenario} begins (default 0; `--scenario-at`). */
  scenarioAtS?: number;
}

/** A running venue. */
export interface Venue {
  /** `http://127.0.0.1:N`: the base of every REST path. */
  url: string;
  /** `ws://127.0.0.1:N`: the base of every stream path. */
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  /** The simulation core behind the venue: tests read it and move its clock. */
  exchange: SimExchange;
  /** Moves the simulated clock forward to `time`, pushing every event on the way. */
  advanceTo(time: number): void;
  /** How many market-stream and user-data WebSocket connections are open. */
  connections(): { market: number; user: number };
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Starts a Binance USDⓈ-M compatible HTTP and WebSocket server around a
 * simulated exchange, on loopback. ccxt's `binanceusdm` (REST and ccxt.pro)
 * works against it with its URLs pointed here (see ./ccxt-urls.ts).
 *
 * @example
 * const venue = await startVenue({ speed: 0 });
 * const exchange = pointCcxtAtVenue(new ccxt.pro.binanceusdm({ apiKey: venue.apiKey, secret: venue.apiSecret }), venue.url);
 */
export async function startVenue(options: VenueOptions = {}): Promise<Venue> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) throw new Error(`The venue listens on loopback only (127.0.0.1 or ::1), not ${host}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const speed = options.speed ?? 1;
  if (speed !== 'max' && !(Number.isFinite(speed) && speed >= 0)) throw new Error(`--speed must be a number at or above zero or max, got ${speed}`);
  if (options.latencyMs !== undefined && !(Number.isFinite(options.latencyMs) && options.latencyMs >= 0)) {
    throw new Error(`--latency-ms must be a number of milliseconds at or above zero, got ${options.latencyMs}`);
  }
  const plan = parseFaultSpec(options.faults);
  const faults = new FaultInjector({ ...plan, latencyMs: options.latencyMs ?? plan.latencyMs }, seed);
  const credentials = {
    apiKey: options.apiKey ?? randomBytes(32).toString('hex'),
    apiSecret: options.apiSecret ?? randomBytes(32).toString('hex'),
  };
  if (options.scenario && options.exchange) throw new Error('A scenario plays over the venue\'s own prices: pass it without `exchange`');
  const startTime = options.startTime ?? Math.floor(Date.now() / 1000) * 1000;
  const feed = createDrillFeed(createSyntheticFeed({ seed }));
  if (options.scenario) feed.play(options.scenario, startTime + (options.scenarioAtS ?? 0) * 1000);
  const exchange =
    options.exchange ??
    createSimExchange({
      markets: defaultMarkets(),
      feed,
      startTime,
      startBalance: options.startBalance ?? DEFAULT_START_BALANCE,
      seed,
      tickMs: DEFAULT_TICK_MS,
    });

  const markets = new MarketDirectory(exchange.markets());
  const history = new EventHistory(exchange);
  const listenKeys = new ListenKeys(options.listenKeyClock ?? Date.now);
  const ctx: VenueContext = { exchange, markets, history, listenKeys, wallNow: Date.now };
  const router = new Router({
    routes: [...marketDataRoutes(ctx), ...accountRoutes(ctx), ...orderRoutes(ctx), ...algoOrderRoutes(ctx), ...userStreamRoutes(ctx)],
    credentials,
    faults,
    now: Date.now,
  });
  const streams = new StreamServer({ exchange, markets, listenKeys, faults });
  const server = createServer((request, response) => void router.serve(request, response));
  server.on('upgrade', (request, socket, head) => streams.handleUpgrade(request, socket, head));
  await listen(server, options.port ?? 0, host);

  const runner =
    speed === 0
      ? null
      : speed === 'max'
        ? createSimRunner({ sim: exchange, speed, until: maxSpeedUntil(exchange.now()) })
        : createSimRunner({ sim: exchange, speed, intervalMs: Math.max(20, Math.min(250, exchange.tickMs() / speed)) });
  runner?.start();
  const { port } = server.address() as AddressInfo;
  const origin = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  let closed: Promise<void> | null = null;
  return {
    url: `http://${origin}`,
    wsUrl: `ws://${origin}`,
    ...credentials,
    exchange,
    advanceTo: (time) => exchange.advanceTo(time),
    connections: () => streams.connections(),
    close: () => {
      closed ??= (async () => {
        runner?.stop();
        history.close();
        await streams.close();
        server.closeAllConnections();
        await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      })();
      return closed;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
