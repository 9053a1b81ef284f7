/**
 * `npm run flatten -- --url <cockpit url with token>`: the panic button from a
 * terminal. Connects to a running cockpit's WebSocket with the token from the
 * URL's `#token=` fragment (or `COCKPIT_TOKEN`), sends `flatten`, prints per-symbol
 * progress as it streams in and then the final report. The URL may also come from
 * `COCKPIT_URL` or, with `--stdin`, standard input: unlike argv, neither is visible
 * to other users of the machine.
 *
 * Exit codes: 0 flat; 1 the flatten ran but something remains; 2 bad
 * arguments; 3 the cockpit could not be reached, refused, or did not answer.
 */
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import type { ServerFrame } from '../../shared/contract';
import type { FlattenReport, FlattenSymbolProgress } from '../../shared/domain';
import type { Result } from '../../shared/result';

export const USAGE = `Usage: npm run flatten -- --url <cockpit url with token> [--reason TEXT] [--timeout-s N]
       COCKPIT_URL=<cockpit url with token> npm run flatten
       npm run flatten -- --stdin < file-holding-the-url

  --url URL        the address npm run headless printed, e.g. http://127.0.0.1:5180/#token=…
                   (argv is visible to other local users: prefer COCKPIT_URL or --stdin)
  --stdin          read the address from the first line of standard input
  --reason TEXT    recorded in the journal (default: "Flatten from the command line")
  --timeout-s N    give up waiting for the result after N seconds (default 120)`;

export const EXIT = { flat: 0, notFlat: 1, usage: 2, unreachable: 3 } as const;

export interface FlattenArgs {
  url: string;
  reason: string;
  timeoutMs: number;
  /** The token when the URL carries none (`COCKPIT_TOKEN`). */
  token?: string;
}

/** The arguments before the address is known: null when it is to be read from standard input. */
export type ParsedFlattenArgs = Omit<FlattenArgs, 'url'> & { url: string | null };

/**
 * Reads `--flag value` or `--flag=value`, and the environment's `COCKPIT_URL` and `COCKPIT_TOKEN`;
 * throws a clear error for anything else.
 */
export function parseFlattenArgs(argv: readonly string[], env: Record<string, string | undefined> = {}): ParsedFlattenArgs | { help: true } {
  const values = new Map<string, string>();
  let stdin = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    if (arg === '--stdin') {
      stdin = true;
      continue;
    }
    const match = /^--(url|reason|timeout-s)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`Unknown argument "${arg}"`);
    const value = match[2] ?? argv[++i];
    if (value === undefined || value === '') throw new Error(`--${match[1]} needs a value`);
    if (values.has(match[1]!)) throw new Error(`--${match[1]} is given twice`);
    values.set(match[1]!, value);
  }
  const url = values.get('url') ?? (env['COCKPIT_URL']?.trim() || undefined);
  if (stdin && url) throw new Error('--stdin reads the cockpit URL from standard input; drop --url and COCKPIT_URL');
  if (!url && !stdin) throw new Error('--url is required (or COCKPIT_URL in the environment, or --stdin)');
  const timeoutS = Number(values.get('timeout-s') ?? 120);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error(`--timeout-s must be a number of seconds above zero, got "${values.get('timeout-s')}"`);
  const token = env['COCKPIT_TOKEN']?.trim();
  return { url: url ?? null, reason: values.get('reason') ?? 'Flatten from the command line', timeoutMs: timeoutS * 1000, ...(token ? { token } : {}) };
}

/** The cockpit's WebSocket endpoint and the Origin it expects, from the page URL with `#token=`. */
export function cockpitSocket(pageUrl: string, fallbackToken?: string): { wsUrl: string; origin: string } {
  let url: URL;
  try {
    url = new URL(pageUrl);
  } catch {
    throw new Error(`"${pageUrl}" is not a URL; pass the address npm run headless printed`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The cockpit URL must start with http:// or https://, got ${url.protocol}`);
  const token = new URLSearchParams(url.hash.replace(/^#/, '')).get('token') || fallbackToken;
  if (!token) throw new Error('The URL has no #token=… fragment and COCKPIT_TOKEN is not set; pass the full address npm run headless printed');
  const scheme = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return { wsUrl: `${scheme}//${url.host}/ws?token=${encodeURIComponent(token)}`, origin: `${url.protocol}//${url.host}` };
}

const num = (n: number) => String(+n.toFixed(8));

/** One line per symbol: what was cancelled and closed, what remains, and any error. */
function formatSymbol(p: FlattenSymbolProgress): string {
  const errors = p.errors.length ? `  last error: ${p.errors.at(-1)}` : '';
  return `  ${p.symbol.padEnd(16)} ${p.status.padEnd(7)} cancelled=${p.ordersCancelled} closed=${num(p.closedContracts)} remaining=${num(p.remainingContracts)} open_orders=${p.remainingOrders}${errors}`;
}

function formatReport(report: FlattenReport): string[] {
  const seconds = report.finishedAt !== null ? ((report.finishedAt - report.startedAt) / 1000).toFixed(2) : '?';
  const head = report.flat
    ? `flatten ${report.id}: FLAT after ${report.attempts} round${report.attempts === 1 ? '' : 's'} (${seconds} s)`
    : `flatten ${report.id}: NOT FLAT after ${report.attempts} round${report.attempts === 1 ? '' : 's'} (${seconds} s)`;
  return [head, ...report.symbols.map(formatSymbol), ...report.remaining.map((r) => `  remains: ${r}`)];
}

export interface RunOptions extends FlattenArgs {
  out: (line: string) => void;
}

/** Sends `flatten` to the cockpit and streams its progress; resolves with the exit code. */
export function runFlatten(options: RunOptions): Promise<number> {
  const { wsUrl, origin } = cockpitSocket(options.url, options.token);
  const COMMAND_ID = 1;
  return new Promise<number>((resolve) => {
    const socket = new WebSocket(wsUrl, { origin, maxPayload: 16 * 1024 * 1024 });
    const printed = new Map<string, string>();
    let done = false;
    const finish = (code: number, line?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (line) options.out(line);
      socket.close();
      resolve(code);
    };
    const timer = setTimeout(() => finish(EXIT.unreachable, `flatten: no result from the cockpit after ${options.timeoutMs / 1000} s; check the cockpit and the exchange`), options.timeoutMs);

    socket.on('unexpected-response', (_request, response) => {
      finish(EXIT.unreachable, `flatten: the cockpit refused the connection (HTTP ${response.statusCode}${response.statusCode === 401 ? ': wrong or missing token' : ''})`);
    });
    socket.on('error', (error) => finish(EXIT.unreachable, `flatten: cannot reach the cockpit at ${origin}: ${error.message}`));
    socket.on('close', () => finish(EXIT.unreachable, 'flatten: the cockpit closed the connection before answering'));
    socket.on('open', () => {
      options.out(`flatten: connected to ${origin}; flattening every position and order`);
      socket.send(JSON.stringify({ id: COMMAND_ID, command: 'flatten', input: { reason: options.reason } }));
    });
    socket.on('message', (data) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.kind === 'event' && frame.event === 'flatten') {
        for (const p of (frame.payload as FlattenReport).symbols) {
          const line = formatSymbol(p);
          if (printed.get(p.symbol) !== line) options.out(line);
          printed.set(p.symbol, line);
        }
      } else if (frame.kind === 'result' && frame.id === COMMAND_ID) {
        const result = frame.result as Result<FlattenReport>;
        if (!result.ok) return finish(EXIT.unreachable, `flatten: the cockpit answered with an error (${result.error.type}): ${result.error.message}`);
        for (const line of formatReport(result.value)) options.out(line);
        finish(result.value.flat ? EXIT.flat : EXIT.notFlat);
      }
    });
  });
}

/** The first line of standard input (the cockpit URL, for `--stdin`). */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split('\n')[0]!.trim();
}

async function main(): Promise<void> {
  let args: FlattenArgs | { help: true };
  try {
    const parsed = parseFlattenArgs(process.argv.slice(2), process.env);
    args = 'help' in parsed ? parsed : { ...parsed, url: parsed.url ?? (await firstLine(process.stdin)) };
    if (!('help' in args)) cockpitSocket(args.url, args.token);
  } catch (error) {
    process.stderr.write(`flatten: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(EXIT.usage);
  }
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const code = await runFlatten({ ...args, out: (line) => process.stdout.write(`${line}\n`) });
  process.exit(code);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
