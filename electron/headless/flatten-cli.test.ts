import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryCredentialVault } from '../engine/credential-vault';
import { Engine } from '../engine/engine';
import type { ExchangeAdapter } from '../engine/exchange/adapter';
import { OrderRejectedError } from '../engine/exchange/errors';
import { createPaperAdapter, type PaperAdapter } from '../engine/exchange/paper-adapter';
import { openProtectedPosition } from '../engine/flatten/flatten-fixtures';
import { MemorySettingsStore } from '../engine/settings-store';
import { cockpitSocket, EXIT, parseFlattenArgs, runFlatten } from './flatten-cli';
import { startHeadlessServer } from './server';

const ROOT = path.resolve(import.meta.dirname, '../..');
let cleanup: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

async function cockpit(wrap: (paper: PaperAdapter) => ExchangeAdapter = (paper) => paper) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flatten-cli-'));
  fs.mkdirSync(path.join(dir, 'static'));
  fs.writeFileSync(path.join(dir, 'static', 'index.html'), '<!doctype html><title>cockpit</title>');
  const paper = createPaperAdapter({ manualClock: true, seed: 9 });
  const engine = new Engine({ dataDir: path.join(dir, 'data'), adapter: wrap(paper), settingsStore: new MemorySettingsStore(), vault: new MemoryCredentialVault() });
  const server = await startHeadlessServer({ handlers: engine.handlers, bus: engine.bus, staticDir: path.join(dir, 'static') });
  cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => engine.stop(), () => server.close());
  return { paper, server };
}

describe('npm run flatten: arguments', () => {
  it('needs the cockpit URL and reads the optional reason and timeout', () => {
    expect(parseFlattenArgs(['--url', 'http://127.0.0.1:5180/#token=abc'])).toEqual({ url: 'http://127.0.0.1:5180/#token=abc', reason: 'Flatten from the command line', timeoutMs: 120_000 });
    expect(parseFlattenArgs(['--url=http://h/#token=t', '--reason', 'going to bed', '--timeout-s', '30'])).toMatchObject({ reason: 'going to bed', timeoutMs: 30_000 });
    expect(parseFlattenArgs(['--help'])).toEqual({ help: true });
    expect(() => parseFlattenArgs([])).toThrow('--url is required (or COCKPIT_URL in the environment, or --stdin)');
    expect(() => parseFlattenArgs(['--url'])).toThrow('--url needs a value');
    expect(() => parseFlattenArgs(['--yes'])).toThrow('Unknown argument "--yes"');
    expect(() => parseFlattenArgs(['--url', 'x', '--timeout-s', '-1'])).toThrow(/--timeout-s must be/);
  });

  it('takes the address from COCKPIT_URL or standard input, and the token from COCKPIT_TOKEN, none of them visible in argv', () => {
    expect(parseFlattenArgs([], { COCKPIT_URL: 'http://127.0.0.1:5180/#token=abc' })).toMatchObject({ url: 'http://127.0.0.1:5180/#token=abc' });
    expect(parseFlattenArgs(['--stdin'])).toMatchObject({ url: null });
    expect(() => parseFlattenArgs(['--stdin', '--url', 'http://h/'])).toThrow(/--stdin reads the cockpit URL/);
    expect(parseFlattenArgs(['--url', 'http://127.0.0.1:5180/'], { COCKPIT_TOKEN: 'tok' })).toMatchObject({ url: 'http://127.0.0.1:5180/', token: 'tok' });
    expect(cockpitSocket('http://127.0.0.1:5180/', 'tok').wsUrl).toBe('ws://127.0.0.1:5180/ws?token=tok');
    expect(cockpitSocket('http://127.0.0.1:5180/#token=frag', 'tok').wsUrl).toBe('ws://127.0.0.1:5180/ws?token=frag');
  });

  it('takes the token from the URL fragment and talks to /ws with the page origin', () => {
    expect(cockpitSocket('http://127.0.0.1:5180/#token=a%2Bb')).toEqual({ wsUrl: 'ws://127.0.0.1:5180/ws?token=a%2Bb', origin: 'http://127.0.0.1:5180' });
    expect(() => cockpitSocket('http://127.0.0.1:5180/')).toThrow(/no #token=/);
    expect(() => cockpitSocket('127.0.0.1:5180')).toThrow(/not a URL|http/);
  });
});

describe('npm run flatten against a running cockpit', () => {
  it('flattens, prints each symbol as it goes and the final report, and exits 0 when flat', async () => {
    const { paper, server } = await cockpit();
    openProtectedPosition(paper.sim, 'BTC/USDT:USDT', 'long');
    openProtectedPosition(paper.sim, 'XRP/USDT:USDT', 'short');
    const lines: string[] = [];
    const code = await runFlatten({ url: server.url, reason: 'test', timeoutMs: 10_000, out: (l) => lines.push(l) });
    expect(code).toBe(EXIT.flat);
    expect(lines[0]).toMatch(/^flatten: connected to http:\/\/127\.0\.0\.1:\d+/);
    expect(lines.some((l) => /^ {2}BTC\/USDT:USDT\s+working/.test(l))).toBe(true);
    expect(lines).toContainEqual(expect.stringMatching(/^flatten \w+: FLAT after 1 round \(/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}XRP\/USDT:USDT\s+flat\s+cancelled=2 closed=\d+(\.\d+)? remaining=0 open_orders=0$/));
    expect(paper.sim.positions().filter((p) => p.positionAmt !== 0)).toEqual([]);
  });

  it('exits 1 and says what remains and why when the account is not flat', async () => {
    const { paper, server } = await cockpit((p) => ({ ...p, createOrder: () => Promise.reject(new OrderRejectedError('Margin is insufficient.', '-2019')) }));
    openProtectedPosition(paper.sim, 'ETH/USDT:USDT', 'long');
    const lines: string[] = [];
    const code = await runFlatten({ url: server.url, reason: 'test', timeoutMs: 20_000, out: (l) => lines.push(l) });
    expect(code).toBe(EXIT.notFlat);
    expect(lines).toContainEqual(expect.stringMatching(/: NOT FLAT after 8 rounds/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}remains: ETH\/USDT:USDT: [\d.]+ contracts and 0 open orders remain after 8 rounds \(round 8: close position failed: OrderRejectedError: Margin is insufficient\.\)$/));
  });

  it('exits 3 with a clear message for a wrong token or no cockpit', async () => {
    const { server } = await cockpit();
    const lines: string[] = [];
    expect(await runFlatten({ url: server.url.replace(/token=.*/, 'token=wrong'), reason: 't', timeoutMs: 5_000, out: (l) => lines.push(l) })).toBe(EXIT.unreachable);
    expect(lines).toEqual(['flatten: the cockpit refused the connection (HTTP 401: wrong or missing token)']);
    lines.length = 0;
    expect(await runFlatten({ url: 'http://127.0.0.1:9/#token=x', reason: 't', timeoutMs: 5_000, out: (l) => lines.push(l) })).toBe(EXIT.unreachable);
    expect(lines[0]).toMatch(/^flatten: cannot reach the cockpit at http:\/\/127\.0\.0\.1:9/);
  });

  it('runs as a script: npm run flatten -- --url <url>', async () => {
    const { paper, server } = await cockpit();
    openProtectedPosition(paper.sim, 'SOL/USDT:USDT', 'long');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron/headless/flatten-cli.ts'), '--url', server.url], { cwd: ROOT });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stdout).toMatch(/FLAT after 1 round/);
    expect(code).toBe(0);
    const fromStdin = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron/headless/flatten-cli.ts'), '--stdin'], { cwd: ROOT });
    let piped = '';
    fromStdin.stdout.on('data', (d) => (piped += String(d)));
    fromStdin.stdin.end(`${server.url}\n`);
    expect(await new Promise<number | null>((resolve) => fromStdin.on('exit', resolve))).toBe(0);
    expect(piped).toMatch(/FLAT after/);
    const usage = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'electron/headless/flatten-cli.ts')], { cwd: ROOT, env: { ...process.env, COCKPIT_URL: '' } });
    let stderr = '';
    usage.stderr.on('data', (d) => (stderr += String(d)));
    expect(await new Promise<number | null>((resolve) => usage.on('exit', resolve))).toBe(EXIT.usage);
    expect(stderr).toMatch(/--url is required/);
  });
});
