import { TIMEFRAMES, type Timeframe } from '../../../shared/domain';

/** A `KEY=VALUE` pair from the command line, value parsed: numbers and true/false become what they say. */
export type Assignment = [key: string, value: number | string | boolean];

/** What `npm run backtest -- …` was asked to do. */
export interface BacktestCommand {
  strategy: string | null;
  strategyFile: string | null;
  data: [symbol: string, file: string][];
  funding: [symbol: string, file: string][];
  mark: [symbol: string, file: string][];
  datadir: string | null;
  pairs: string[];
  timeframe: Timeframe | null;
  from: number | null;
  to: number | null;
  balance: number;
  seed: number;
  set: Assignment[];
  sweep: [key: string, values: (number | string | boolean)[]][];
  sort: string;
  workers: number | null;
  out: string | null;
  download: boolean;
  exchange: string | null;
  exchangeUrl: string | null;
}

export const USAGE = `Usage: npm run backtest -- --strategy ID [--strategy-file FILE] (--data SYMBOL=FILE … | --datadir DIR --pairs P[,P…])
         [--funding SYMBOL=FILE] [--mark SYMBOL=FILE] [--timeframe TF] [--from ISO] [--to ISO] [--balance USDT]
         [--set key=value …] [--sweep key=a,b,c …] [--sort FIGURE] [--workers N] [--seed N] [--out DIR]
       npm run backtest -- --download --exchange binanceusdm [--exchange-url URL] --datadir DIR --pairs … --timeframe TF --from ISO --to ISO [backtest flags]`;

const FLAGS_WITH_VALUE = new Set([
  '--strategy',
  '--strategy-file',
  '--data',
  '--funding',
  '--mark',
  '--datadir',
  '--pairs',
  '--timeframe',
  '--from',
  '--to',
  '--balance',
  '--seed',
  '--set',
  '--sweep',
  '--sort',
  '--workers',
  '--out',
  '--exchange',
  '--exchange-url',
]);

export function parseValue(raw: string): number | string | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  const n = Number(raw);
  return raw.trim() !== '' && Number.isFinite(n) ? n : raw;
}

function pair(flag: string, raw: string, what: string): [string, string] {
  const at = raw.indexOf('=');
  if (at <= 0 || at === raw.length - 1) throw new Error(`${flag} needs ${what}=VALUE, got "${raw}"`);
  return [raw.slice(0, at).trim(), raw.slice(at + 1).trim()];
}

function time(flag: string, raw: string): number {
  const t = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(t)) throw new Error(`${flag} needs an ISO date (2024-01-31 or 2024-01-31T12:00:00Z), got "${raw}"`);
  return t;
}

function positive(flag: string, raw: string, integer: boolean): number {
  const n = Number(raw);
  if (!(Number.isFinite(n) && n > 0) || (integer && !Number.isInteger(n))) throw new Error(`${flag} needs a ${integer ? 'whole ' : ''}number above zero, got "${raw}"`);
  return n;
}

/** Parses the backtest command line; throws a clear error (the usage follows it) on anything it does not understand. */
export function parseBacktestArgs(argv: readonly string[]): BacktestCommand {
  const command: BacktestCommand = {
    strategy: null,
    strategyFile: null,
    data: [],
    funding: [],
    mark: [],
    datadir: null,
    pairs: [],
    timeframe: null,
    from: null,
    to: null,
    balance: 10_000,
    seed: 1,
    set: [],
    sweep: [],
    sort: 'return_pct',
    workers: null,
    out: null,
    download: false,
    exchange: null,
    exchangeUrl: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--download') {
      command.download = true;
      continue;
    }
    if (!FLAGS_WITH_VALUE.has(flag)) throw new Error(`Unknown argument "${flag}"`);
    const value = argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--strategy':
        command.strategy = value;
        break;
      case '--strategy-file':
        command.strategyFile = value;
        break;
      case '--data':
        command.data.push(pair(flag, value, 'SYMBOL'));
        break;
      case '--funding':
        command.funding.push(pair(flag, value, 'SYMBOL'));
        break;
      case '--mark':
        command.mark.push(pair(flag, value, 'SYMBOL'));
        break;
      case '--datadir':
        command.datadir = value;
        break;
      case '--pairs':
        command.pairs = value.split(',').map((p) => p.trim()).filter(Boolean);
        break;
      case '--timeframe':
        if (!TIMEFRAMES.includes(value as Timeframe)) throw new Error(`--timeframe must be one of ${TIMEFRAMES.join(', ')}, got "${value}"`);
        command.timeframe = value as Timeframe;
        break;
      case '--from':
        command.from = time(flag, value);
        break;
      case '--to':
        command.to = time(flag, value);
        break;
      case '--balance':
        command.balance = positive(flag, value, false);
        break;
      case '--seed':
        command.seed = positive(flag, value, true);
        break;
      case '--set': {
        const [key, raw] = pair(flag, value, 'KEY');
        command.set.push([key, parseValue(raw)]);
        break;
      }
      case '--sweep': {
        const [key, raw] = pair(flag, value, 'KEY');
        command.sweep.push([key, raw.split(',').map((v) => parseValue(v.trim()))]);
        break;
      }
      case '--sort':
        command.sort = value;
        break;
      case '--workers':
        command.workers = positive(flag, value, true);
        break;
      case '--out':
        command.out = value;
        break;
      case '--exchange':
        command.exchange = value;
        break;
      case '--exchange-url':
        command.exchangeUrl = value;
        break;
    }
  }
  if (!command.strategy && !command.strategyFile) throw new Error('Name a strategy: --strategy trend-pullback (or adaptive-leverage), or --strategy-file FILE');
  if (command.data.length && command.datadir && !command.download) throw new Error('Give the candles either by --data or by --datadir, not both');
  if (!command.data.length && !command.datadir) throw new Error('Give the candles: --data SYMBOL=FILE, or --datadir DIR --pairs …');
  if (command.datadir && !command.pairs.length) throw new Error('--datadir needs --pairs (e.g. --pairs XRP/USDT:USDT)');
  if (command.download && (!command.exchange || !command.datadir || command.from === null || command.to === null || !command.timeframe)) {
    throw new Error('--download needs --exchange, --datadir (the cache), --pairs, --timeframe, --from and --to');
  }
  if (command.from !== null && command.to !== null && command.to <= command.from) throw new Error('--to must be after --from');
  return command;
}
