import { parseArgs } from 'node:util';
import { practiceAccountProblem } from '../../shared/practice-accounts';
import type { LiveVenue, PaperVenue } from '../engine/bootstrap';
import { isLiveExchange } from '../engine/exchange/capabilities';
import { pointUrlsAt } from '../engine/exchange/exchange-url';
import { isLoopbackHost } from '../../shared/loopback';
import { parseFaultSpec } from '../engine/sim/faults';
import { DEFAULT_LIVE_FEED_EXCHANGE, parseReplayFiles, type FeedChoice } from '../engine/sim/feeds/feed-choice';
import { parseSpeed, type SimSpeed } from '../engine/sim/sim-runner';
import { errorMessage } from '../../shared/error-message';

export interface HeadlessArgs {
  host: string;
  port: number;
  dataDir: string;
  paper: PaperVenue;
  /** Live mode when `--exchange` is given. */
  live: LiveVenue | null;
  /** `--insecure-remote`: live keys on a non-loopback `--host`, over unencrypted HTTP, accepted. */
  insecureRemote: boolean;
}

export const HEADLESS_USAGE = `usage: npm run headless -- [--port N] [--host H] [--data-dir D]
                         [--seed S] [--speed X] [--faults SPEC] [--start-balance USDT] [--start-time T]
                         [--feed synthetic|live [--feed-exchange ID] | --replay SYMBOL=PATH ...]
                         [--scenario FILE [--scenario-at SECONDS]]
                         [--exchange ID [--exchange-url URL] [--testnet | --demo]] [--insecure-remote]

  --port N           port to serve on (default 5180; 0 picks a free one)
  --host H           interface to bind (default 127.0.0.1, loopback only). Any other host serves
                     unencrypted HTTP: a warning is printed, and live keys need --insecure-remote
  --insecure-remote  accept live keys on a non-loopback --host despite the unencrypted traffic
  --data-dir D       journal and settings folder (default .cockpit-data)
  --seed S           paper mode: simulator seed (default: on synthetic prices, the first whose
                     opening gives an enabled manual-approval strategy a setup within three minutes)
  --speed X          paper mode: simulated time runs X times faster; max runs as fast as possible
                     to the end of the --replay files (one simulated day on synthetic prices),
                     then the clock stops
  --faults SPEC      paper mode: fault injection as key=value pairs, e.g. latency=50,5xx=0.1,timeout=0.05
                     (keys: latency, jitter in ms; 5xx, 429, 1021, timeout, wsdrop as fractions 0..1)
  --start-balance N  paper mode: starting USDT balance
  --start-time T     paper mode on synthetic prices: the simulated clock starts at T (ISO 8601 or epoch ms)
                     instead of now, e.g. just before a funding settlement
  --feed F           paper mode price feed: synthetic (default, seeded, offline) or live
                     (public prices through ccxt, no keys, needs internet; real time, no --speed)
  --feed-exchange ID with --feed live: the ccxt exchange to read prices from (default ${DEFAULT_LIVE_FEED_EXCHANGE})
  --replay SYM=PATH  paper mode: replay an OHLCV file (JSON or CSV) for one symbol, e.g.
                     --replay BTC/USDT:USDT=./btc-1m.csv; repeat for more symbols. The markets without a
                     file keep synthetic prices. The file's first ~8 hours become the chart's warm-up
                     history; the replay runs on from there (faster with --speed)
  --scenario FILE    paper mode: play a crash drill (a JSON scenario, see README "Drills")
  --scenario-at S    with --scenario: start it S simulated seconds after the start (default 0)
  --exchange ID      live mode on a ccxt exchange id (keys from COCKPIT_API_KEY / COCKPIT_API_SECRET)
  --exchange-url URL live mode: override the exchange's base URL (http:// only for loopback)
  --testnet          live mode: the exchange's futures testnet (bybit; not binanceusdm, whose
                     testnet ccxt no longer serves: use --demo)
  --demo             live mode: the exchange's demo trading (binanceusdm, bybit, okx)`;

/** A command-line mistake; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function number(flag: string, raw: string | undefined, check: (n: number) => boolean, rule: string): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || !check(value)) throw new UsageError(`--${flag} must be ${rule}, got "${raw}"`);
  return value;
}

function timeOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const time = /^\d+$/.test(raw.trim()) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(time) || time <= 0) throw new UsageError(`--start-time must be an ISO 8601 time or epoch milliseconds, got "${raw}"`);
  return time;
}

function speedOf(raw: string | undefined): SimSpeed | undefined {
  if (raw === undefined) return undefined;
  try {
    return parseSpeed(raw);
  } catch (error) {
    throw new UsageError(`--speed ${errorMessage(error)}`);
  }
}

function feedChoice(feed: string | undefined, feedExchange: string | undefined, replay: string[] | undefined): FeedChoice | null {
  if (feed !== undefined && feed !== 'synthetic' && feed !== 'live') {
    throw new UsageError(`--feed must be synthetic or live, got "${feed}" (replay a file with --replay SYMBOL=PATH)`);
  }
  if (feedExchange !== undefined && feed !== 'live') throw new UsageError('--feed-exchange needs --feed live');
  if (feedExchange?.trim() === '') throw new UsageError('--feed-exchange must not be empty');
  if (replay !== undefined) {
    if (feed !== undefined) throw new UsageError(`--replay chooses the replay feed; drop --feed ${feed}`);
    try {
      return { kind: 'replay', files: parseReplayFiles(replay) };
    } catch (error) {
      throw new UsageError(`--replay: ${errorMessage(error)}`);
    }
  }
  if (feed === 'live') return { kind: 'live', ...(feedExchange !== undefined ? { exchange: feedExchange.trim() } : {}) };
  return feed === 'synthetic' ? { kind: 'synthetic' } : null;
}

/** Reads `npm run headless` flags; throws {@link UsageError} on anything it does not understand. */
export function parseHeadlessArgs(argv: string[]): HeadlessArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        seed: { type: 'string' },
        speed: { type: 'string' },
        faults: { type: 'string' },
        'start-balance': { type: 'string' },
        'start-time': { type: 'string' },
        feed: { type: 'string' },
        'feed-exchange': { type: 'string' },
        replay: { type: 'string', multiple: true },
        scenario: { type: 'string' },
        'scenario-at': { type: 'string' },
        exchange: { type: 'string' },
        'exchange-url': { type: 'string' },
        testnet: { type: 'boolean' },
        demo: { type: 'boolean' },
        'insecure-remote': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(errorMessage(error));
  }
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer from 0 to 65535') ?? 5180;
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const seed = number('seed', values.seed, Number.isSafeInteger, 'an integer');
  const speed = speedOf(values.speed);
  const startBalance = number('start-balance', values['start-balance'], (n) => n > 0, 'a positive number');
  const startTime = timeOf(values['start-time']);
  try {
    parseFaultSpec(values.faults);
  } catch (error) {
    throw new UsageError(`--faults: ${errorMessage(error)}`);
  }

  if (!values.exchange && (values['exchange-url'] !== undefined || values.testnet || values.demo)) {
    throw new UsageError('--exchange-url, --testnet and --demo need --exchange');
  }
  if (values.exchange && isLiveExchange(values.exchange)) {
    const problem = practiceAccountProblem(values.exchange, { testnet: values.testnet ?? false, demo: values.demo ?? false });
    if (problem) throw new UsageError(`--${problem.field}: ${problem.message}`);
  }
  if (values['exchange-url'] !== undefined && !URL.canParse(values['exchange-url'])) {
    throw new UsageError(`--exchange-url must be a URL, got "${values['exchange-url']}"`);
  }
  if (values['exchange-url'] !== undefined) {
    try {
      pointUrlsAt({}, values['exchange-url']);
    } catch (error) {
      throw new UsageError(errorMessage(error));
    }
  }
  if (values.exchange && !isLoopbackHost(host) && !values['insecure-remote']) {
    throw new UsageError(`--host ${host} is not loopback and the cockpit serves plain HTTP: the token and every order would cross the network unencrypted. Live keys there need --insecure-remote`);
  }
  const live: LiveVenue | null = values.exchange
    ? {
        exchange: values.exchange,
        ...(values['exchange-url'] !== undefined ? { exchangeUrl: values['exchange-url'] } : {}),
        ...(values.testnet ? { testnet: true } : {}),
        ...(values.demo ? { demo: true } : {}),
      }
    : null;
  if (live && (seed !== undefined || speed !== undefined || values.faults !== undefined || startBalance !== undefined || startTime !== undefined)) {
    throw new UsageError('--seed, --speed, --faults, --start-balance and --start-time are for paper mode; drop them or drop --exchange');
  }
  if (live && (values.feed !== undefined || values['feed-exchange'] !== undefined || values.replay !== undefined)) {
    throw new UsageError('--feed, --feed-exchange and --replay choose paper prices; live trading (--exchange) always trades on the exchange\'s own prices');
  }
  if (live && values.scenario !== undefined) throw new UsageError('--scenario plays a crash drill on the paper exchange; a live exchange\'s prices are real: drop --exchange to rehearse');
  if (values['scenario-at'] !== undefined && values.scenario === undefined) throw new UsageError('--scenario-at needs --scenario');
  const scenarioAt = number('scenario-at', values['scenario-at'], (n) => n >= 0, 'a number of seconds at or above zero');
  const feed = feedChoice(values.feed, values['feed-exchange'], values.replay);
  if (startTime !== undefined && feed && feed.kind !== 'synthetic') throw new UsageError('--start-time is for synthetic prices; a replay or a live feed sets its own time');
  if (feed?.kind === 'live' && speed !== undefined) throw new UsageError('--feed live runs in real time; drop --speed');
  return {
    host,
    port,
    insecureRemote: values['insecure-remote'] ?? false,
    dataDir: values['data-dir'] ?? '.cockpit-data',
    paper: {
      ...(seed !== undefined ? { seed } : {}),
      ...(speed !== undefined ? { speed } : {}),
      ...(values.faults !== undefined ? { faults: values.faults } : {}),
      ...(startBalance !== undefined ? { startBalance } : {}),
      ...(startTime !== undefined ? { startTime } : {}),
      ...(feed ? { feed } : {}),
      ...(values.scenario !== undefined ? { scenario: { file: values.scenario, ...(scenarioAt !== undefined ? { atS: scenarioAt } : {}) } } : {}),
    },
    live,
  };
}

/** The warning a non-loopback `--host` prints before it starts: the traffic is unencrypted. Null on loopback. */
export function remoteHostWarning(host: string): string | null {
  if (isLoopbackHost(host)) return null;
  return `WARNING bound to ${host}: the cockpit serves plain HTTP, so the token and every command cross that network unencrypted; anyone who sees the token can trade this account. Prefer loopback and an SSH tunnel.`;
}
