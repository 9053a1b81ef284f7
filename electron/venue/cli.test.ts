import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { restClient } from './venue-fixtures';

const root = path.resolve(__dirname, '../..');

function runCli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'electron/venue/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts the CLI, hands its first stdout line to `check`, then stops it with SIGTERM and returns the exit code. */
async function withRunningCli(args: string[], check: (firstLine: string) => Promise<void>): Promise<number | null> {
  const cli = runCli(args);
  const exited = once(cli, 'exit');
  try {
    const [first] = (await once(createInterface({ input: cli.stdout! }), 'line')) as [string];
    await check(first);
  } finally {
    cli.kill('SIGTERM');
  }
  const [code] = (await exited) as [number | null];
  return code;
}

/** The account's totalWalletBalance, through ccxt's signed account request to the venue at `firstLine`'s address. */
async function walletBalance(firstLine: string): Promise<string> {
  const [, url, apiKey, apiSecret] = /^venue: (\S+) key=(\S+) secret=(\S+)$/.exec(firstLine)!;
  const balance = await restClient({ url: url!, apiKey: apiKey!, apiSecret: apiSecret! }).fetchBalance();
  return (balance.info as { totalWalletBalance: string }).totalWalletBalance;
}

describe('npm run venue', () => {
  it('prints its URL and credentials as the first line, serves Binance paths, starts with the --balance given, and exits cleanly on SIGTERM', async () => {
    const args = ['--port', '0', '--seed', '5', '--balance', '2500', '--key', 'test-key-0123456789', '--secret', 'test-secret-0123456789'];
    const code = await withRunningCli(args, async (first) => {
      expect(first).toMatch(/^venue: http:\/\/127\.0\.0\.1:\d+ key=test-key-0123456789 secret=test-secret-0123456789$/);
      const url = /^venue: (\S+)/.exec(first)![1]!;
      const time = (await (await fetch(`${url}/fapi/v1/time`)).json()) as { serverTime: number };
      expect(typeof time.serverTime).toBe('number');
      const unsigned = await fetch(`${url}/fapi/v2/balance`, { headers: { 'X-MBX-APIKEY': 'test-key-0123456789' } });
      expect(await unsigned.json()).toEqual({ code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." });
      expect(await walletBalance(first)).toBe('2500.00000000');
    });
    expect(code).toBe(0);
  });

  it('starts with 10,000 USDT when no --balance is given, under random credentials', async () => {
    const code = await withRunningCli(['--port', '0'], async (first) => {
      expect(await walletBalance(first)).toBe('10000.00000000');
    });
    expect(code).toBe(0);
  });

  it('refuses a bad fault spec before starting, with exit code 2', async () => {
    const cli = runCli(['--faults', 'meteor=1']);
    let stderr = '';
    cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(cli, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toMatch(/Bad fault spec "meteor=1"/);
  });
});
