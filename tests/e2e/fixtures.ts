/**
 * The shared e2e harness: every test gets its own headless cockpit.
 *
 * ```ts
 * import { expect, test } from './fixtures';
 *
 * test.use({ cockpitOptions: { seed: 7, args: ['--speed', '60'] } });   // optional, per file or describe
 *
 * test('the user sees the cockpit connected', async ({ page, cockpit }) => {
 *   await openCockpit(page, cockpit);                     // goto + waits for connection-status "connected"
 *   const engine = await cockpit.connect();               // a raw WebSocket to the same engine
 *   expect(await engine.call('engine.ping', { nonce: 'x' })).toMatchObject({ ok: true });
 *   const entry = await engine.nextEvent('journal', (e) => e.type === 'settings.update');
 * });
 * ```
 *
 * Fixtures:
 * - `cockpitOptions` `{ seed?: number; args?: string[] }`: the simulator seed (default 1) and any extra
 *   `npm run headless` flags (`--speed`, `--faults`, `--start-balance`…).
 * - `cockpit` ({@link Cockpit}): a fresh `npm run -s headless -- --port 0 --data-dir <fresh tmp dir>`
 *   process serving the built renderer (`out/renderer`, built by `npm run test:e2e`), started before the
 *   test and stopped (SIGTERM) after it. `url` is the first stdout line's URL, token included.
 *
 * Helpers: {@link openCockpit}, {@link screenshotPath} (`cockpit.png` is the README's picture), and {@link Cockpit.connect} /
 * {@link Cockpit.refusal} for raw WebSocket work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { WebSocket } from 'ws';
import type { CommandName, CommandResults, EngineEvents, EventName, ServerFrame } from '../../shared/contract';
import type { Result } from '../../shared/result';

const ROOT = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 45_000;
const STOP_TIMEOUT_MS = 10_000;

export interface CockpitOptions {
  /** Paper mode's simulator seed (default 1; null: none, so the cockpit chooses one as for a new user); not passed in live mode (`--exchange` in `args`). */
  seed?: number | null;
  args?: string[];
  /** Extra environment, e.g. `COCKPIT_API_KEY` / `COCKPIT_API_SECRET` for live mode. */
  env?: Record<string, string>;
  /** The data folder to use (e.g. a small tmpfs); the spec owns it and removes it. Default: a fresh temp folder, removed after. */
  dataDir?: string;
}

/** A raw WebSocket to the engine, speaking the contract's frames. */
export interface EngineClient {
  /** Sends one command and waits for its answer. */
  call<K extends CommandName>(command: K, input: unknown): Promise<Result<CommandResults[K]>>;
  /** Sends any text or bytes (bad frames included) and waits for the error answer that carries no id. */
  sendRaw(data: string | Buffer, options?: { binary?: boolean }): Promise<Result<unknown>>;
  /** The next event of this kind (including ones already received) that matches. */
  nextEvent<E extends EventName>(event: E, match?: (payload: EngineEvents[E]) => boolean): Promise<EngineEvents[E]>;
  /** Every frame received so far, in order. */
  readonly frames: readonly ServerFrame[];
  close(): void;
}

export interface ConnectOptions {
  /** Default: the server's own origin, as a browser would send it. `null` sends no Origin. */
  origin?: string | null;
  /** Default: the printed token. `null` omits it. */
  token?: string | null;
}

export interface Cockpit {
  /** `http://127.0.0.1:N/#token=T`, exactly as printed. */
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  /** What the process wrote to stderr so far. */
  stderr(): string;
  /** Opens a raw WebSocket to the engine. */
  connect(options?: ConnectOptions): Promise<EngineClient>;
  /** Tries to open a WebSocket that should be refused; resolves with the HTTP status it got. */
  refusal(options: ConnectOptions): Promise<number>;
  /** Sends a signal and resolves with the exit code (the fixture then skips its own stop). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function wsUrl(cockpit: { origin: string; token: string }, token: string | null | undefined): string {
  const url = new URL('/ws', cockpit.origin.replace(/^http/, 'ws'));
  const value = token === undefined ? cockpit.token : token;
  if (value !== null) url.searchParams.set('token', value);
  return url.href;
}

function openSocket(url: string, origin: string | null): WebSocket {
  return new WebSocket(url, origin === null ? {} : { origin });
}

function engineClient(socket: WebSocket): EngineClient {
  const frames: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  let nextId = 1;
  const consumed = new WeakSet<ServerFrame>();
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)) as ServerFrame);
    for (const wake of waiters) wake();
  });
  const take = (match: (frame: ServerFrame) => boolean): Promise<ServerFrame> =>
    new Promise((resolve, reject) => {
      const look = () => {
        const frame = frames.find((f) => !consumed.has(f) && match(f));
        if (!frame) return false;
        consumed.add(frame);
        waiters.delete(look);
        socket.off('close', closed);
        resolve(frame);
        return true;
      };
      const closed = () => {
        waiters.delete(look);
        reject(new Error('the engine WebSocket closed while waiting'));
      };
      if (look()) return;
      waiters.add(look);
      socket.once('close', closed);
    });
  return {
    frames,
    async call(command, input) {
      const id = nextId++;
      socket.send(JSON.stringify({ id, command, input }));
      const frame = await take((f) => f.kind === 'result' && f.id === id);
      return (frame as Extract<ServerFrame, { kind: 'result' }>).result as Result<never>;
    },
    async sendRaw(data, options) {
      socket.send(data, { binary: options?.binary ?? Buffer.isBuffer(data) });
      const frame = await take((f) => f.kind === 'result' && f.id === null);
      return (frame as Extract<ServerFrame, { kind: 'result' }>).result;
    },
    async nextEvent(event, match) {
      const frame = await take((f) => f.kind === 'event' && f.event === event && (!match || match(f.payload as never)));
      return (frame as Extract<ServerFrame, { kind: 'event' }>).payload as never;
    },
    close: () => socket.close(),
  };
}

function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => fail(`no URL line within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      reject(new Error(`the headless cockpit did not start: ${why}\n--- stderr ---\n${stderr()}`));
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      child.stdout!.resume();
      resolve(buffered.slice(0, end));
    };
    const onExit = (code: number | null) => fail(`it exited with code ${code}`);
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Starts one headless cockpit; the `cockpit` fixture uses it, and a spec may call it itself (e.g. after starting a venue). */
export async function startCockpit(options: CockpitOptions): Promise<{ cockpit: Cockpit; dispose: () => Promise<void> }> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-e2e-'));
  const live = (options.args ?? []).includes('--exchange');
  const seed = live || options.seed === null ? [] : ['--seed', String(options.seed ?? 1)];
  // -s keeps npm's own banner off stdout: the cockpit's address is its first line.
  const args = ['run', '-s', 'headless', '--', '--port', '0', '--data-dir', dataDir, ...seed, ...(options.args ?? [])];
  const child = spawn('npm', args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...options.env } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const readStderr = () => stderr;
  const sockets = new Set<WebSocket>();
  let stopped: Promise<number | null> | null = null;

  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!stopped) {
      const done = exited(child);
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      stopped = done.finally(() => clearTimeout(timer));
    }
    return stopped;
  };
  const dispose = async () => {
    for (const socket of sockets) socket.terminate();
    await stop();
    if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };

  let line: string;
  try {
    line = await firstLine(child, readStderr);
  } catch (error) {
    await dispose();
    throw error;
  }
  const match = /^cockpit: (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]{32,})$/.exec(line);
  if (!match) {
    await dispose();
    throw new Error(`the first stdout line must be "cockpit: http://127.0.0.1:N/#token=T", got: ${JSON.stringify(line)}`);
  }
  const [, origin, token] = match as unknown as [string, string, string];

  const cockpit: Cockpit = {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    dataDir,
    stderr: readStderr,
    stop,
    connect(connect = {}) {
      const socket = openSocket(wsUrl(cockpit, connect.token), connect.origin === undefined ? origin : connect.origin);
      sockets.add(socket);
      return new Promise((resolve, reject) => {
        socket.once('open', () => resolve(engineClient(socket)));
        socket.once('unexpected-response', (_request, response) => reject(new Error(`refused with HTTP ${response.statusCode}`)));
        socket.once('error', reject);
      });
    },
    refusal(connect) {
      const socket = openSocket(wsUrl(cockpit, connect.token), connect.origin === undefined ? origin : connect.origin);
      sockets.add(socket);
      return new Promise((resolve, reject) => {
        socket.once('open', () => reject(new Error('the connection was accepted')));
        socket.once('unexpected-response', (_request, response) => {
          resolve(response.statusCode ?? 0);
          response.destroy();
        });
        socket.once('error', () => {});
      });
    },
  };
  return { cockpit, dispose };
}

export const test = base.extend<{ cockpitOptions: CockpitOptions; cockpit: Cockpit }>({
  cockpitOptions: [{}, { option: true }],
  cockpit: async ({ cockpitOptions }, use) => {
    const { cockpit, dispose } = await startCockpit(cockpitOptions);
    try {
      await use(cockpit);
    } finally {
      await dispose();
    }
  },
});

export { expect };

/** Opens the cockpit page and waits until it reports the engine link as connected. */
export async function openCockpit(page: Page, cockpit: Cockpit): Promise<void> {
  await page.goto(cockpit.url);
  await expect(page.getByTestId('connection-status')).toHaveText('connected');
}

/** Where specs save screenshots (the README shows `cockpit.png`). */
export function screenshotPath(name: string): string {
  return path.join(ROOT, 'tests/e2e/screenshots', name);
}
