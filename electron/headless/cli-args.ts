import { parseArgs } from 'node:util';
import type { LiveVenue, PaperVenue } from '../engine/bootstrap';

export interface HeadlessArgs {
  host: string;
  port: number;
  dataDir: string;
  paper: PaperVenue;
  /** Live mode when `--exchange` is given. */
  live: LiveVenue | null;
}

export const HEADLESS_USAGE = `usage: npm run headless -- [--port N] [--host H] [--data-dir D]
                         [--seed S] [--speed X] [--faults SPEC] [--start-balance USDT]
                         [--exchange ID [--exchange-url URL] [--testnet]]

  --port N           port to serve on (default 5180; 0 picks a free one)
  --host H           interface to bind (default 127.0.0.1, loopback only)
  --data-dir D       journal and settings folder (default .cockpit-data)
  --seed S           paper mode: simulator seed
  --speed X          paper mode: simulated time runs X times faster
  --faults SPEC      paper mode: fault injection, e.g. timeout:0.05
  --start-balance N  paper mode: starting USDT balance
  --exchange ID      live mode on a ccxt exchange id (keys from COCKPIT_API_KEY / COCKPIT_API_SECRET)
  --exchange-url URL live mode: override the exchange's base URL
  --testnet          live mode: use the exchange's testnet`;

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
        exchange: { type: 'string' },
        'exchange-url': { type: 'string' },
        testnet: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = number('port', values.port, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'an integer from 0 to 65535') ?? 5180;
  const host = values.host ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError('--host must not be empty');
  const seed = number('seed', values.seed, Number.isSafeInteger, 'an integer');
  const speed = number('speed', values.speed, (n) => n > 0, 'a positive number');
  const startBalance = number('start-balance', values['start-balance'], (n) => n > 0, 'a positive number');

  if (!values.exchange && (values['exchange-url'] !== undefined || values.testnet)) {
    throw new UsageError('--exchange-url and --testnet need --exchange');
  }
  if (values['exchange-url'] !== undefined && !URL.canParse(values['exchange-url'])) {
    throw new UsageError(`--exchange-url must be a URL, got "${values['exchange-url']}"`);
  }
  const live: LiveVenue | null = values.exchange
    ? {
        exchange: values.exchange,
        ...(values['exchange-url'] !== undefined ? { exchangeUrl: values['exchange-url'] } : {}),
        ...(values.testnet ? { testnet: true } : {}),
      }
    : null;
  if (live && (seed !== undefined || speed !== undefined || values.faults !== undefined || startBalance !== undefined)) {
    throw new UsageError('--seed, --speed, --faults and --start-balance are for paper mode; drop them or drop --exchange');
  }
  return {
    host,
    port,
    dataDir: values['data-dir'] ?? '.cockpit-data',
    paper: {
      ...(seed !== undefined ? { seed } : {}),
      ...(speed !== undefined ? { speed } : {}),
      ...(values.faults !== undefined ? { faults: values.faults } : {}),
      ...(startBalance !== undefined ? { startBalance } : {}),
    },
    live,
  };
}
