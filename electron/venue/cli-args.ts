import { parseSpeed } from '../engine/sim/sim-runner';
import type { VenueOptions } from './server';

export const USAGE = `Usage: npm run venue -- [--port N] [--latency-ms L] [--faults SPEC] [--seed S] [--speed X] [--balance B] [--key K] [--secret S]
                        [--scenario FILE [--scenario-at SECONDS]]

  --port N         port on 127.0.0.1 (default 0: a free port)
  --latency-ms L   milliseconds added to every REST request
  --faults SPEC    e.g. 5xx=0.1,429=0.05,1021=0.05,timeout=0.1,wsdrop=0.01,latency=50,jitter=10
  --seed S         seeds the synthetic prices and the faults (default 1)
  --speed X        simulated seconds per real second (default 1), or max: one simulated
                   day as fast as possible, then the clock stops
  --balance B      USDT in the futures wallet at start (default 10000)
  --key K          API key (default: random)
  --secret S       API secret (default: random)
  --scenario FILE  play a crash drill over the prices (a JSON scenario, see README "Drills")
  --scenario-at S  with --scenario: start it S simulated seconds after the start (default 0)`;

type Flag = 'port' | 'latency-ms' | 'faults' | 'seed' | 'speed' | 'balance' | 'key' | 'secret' | 'scenario' | 'scenario-at';
const FLAGS: readonly Flag[] = ['port', 'latency-ms', 'faults', 'seed', 'speed', 'balance', 'key', 'secret', 'scenario', 'scenario-at'];

/** The venue's options; `scenarioFile` is read (and checked) by the CLI into `scenario`. */
export type CliCommand = { help: true } | { help: false; options: VenueOptions; scenarioFile?: string };

function speedOf(raw: string | undefined): VenueOptions['speed'] {
  if (raw === undefined) return undefined;
  try {
    return parseSpeed(raw);
  } catch (error) {
    throw new Error(`--speed ${(error as Error).message}`);
  }
}

/** Reads the venue's command line (`--flag value` or `--flag=value`); throws a clear error for anything else. */
export function parseVenueArgs(argv: readonly string[]): CliCommand {
  const values = new Map<Flag, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const flag = match?.[1] as Flag | undefined;
    if (!match || !flag || !FLAGS.includes(flag)) throw new Error(`Unknown argument "${arg}"\n\n${USAGE}`);
    if (values.has(flag)) throw new Error(`--${flag} is given twice`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${flag} needs a value`);
    values.set(flag, value);
  }
  const number = (flag: Flag, check: (n: number) => boolean, rule: string): number | undefined => {
    const raw = values.get(flag);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || !check(n)) throw new Error(`--${flag} must be ${rule}, got "${raw}"`);
    return n;
  };
  const options: VenueOptions = {
    port: number('port', (n) => Number.isInteger(n) && n >= 0 && n <= 65_535, 'a port number from 0 to 65535'),
    latencyMs: number('latency-ms', (n) => n >= 0, 'a number of milliseconds at or above zero'),
    faults: values.get('faults'),
    seed: number('seed', (n) => Number.isInteger(n), 'a whole number'),
    speed: speedOf(values.get('speed')),
    startBalance: number('balance', (n) => n >= 0, 'a number of USDT at or above zero'),
    apiKey: values.get('key'),
    apiSecret: values.get('secret'),
    scenarioAtS: number('scenario-at', (n) => n >= 0, 'a number of seconds at or above zero'),
  };
  const scenarioFile = values.get('scenario');
  if (options.scenarioAtS !== undefined && scenarioFile === undefined) throw new Error('--scenario-at needs --scenario');
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as VenueOptions;
  return { help: false, options: defined, ...(scenarioFile !== undefined ? { scenarioFile } : {}) };
}
