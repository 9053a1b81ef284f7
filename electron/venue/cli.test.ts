import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function runCli(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', 'electron/venue/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('npm run venue', () => {
  it('prints its URL and credentials as the first line, serves Binance paths, and exits cleanly on SIGTERM', async () => {
    const cli = runCli(['--port', '0', '--seed', '5', '--balance', '2500', '--key', 'test-key-0123456789', '--secret', 'test-secret-0123456789']);
    const exited = once(cli, 'exit');
    try {
      await checkRunningVenue(cli);
    } finally {
      cli.kill('SIGTERM');
    }
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  async function checkRunningVenue(cli: ReturnType<typeof runCli>): Promise<void> {
    const lines = createInterface({ input: cli.stdout! });
    const [first] = (await once(lines, 'line')) as [string];
    expect(first).toMatch(/^venue: http:\/\/127\.0\.0\.1:\d+ key=test-key-0123456789 secret=test-secret-0123456789$/);
    const url = /^venue: (\S+)/.exec(first)![1]!;

    const time = (await (await fetch(`${url}/fapi/v1/time`)).json()) as { serverTime: number };
    expect(typeof time.serverTime).toBe('number');
    const unsigned = await fetch(`${url}/fapi/v2/balance`, { headers: { 'X-MBX-APIKEY': 'test-key-0123456789' } });
    expect(await unsigned.json()).toEqual({ code: -1102, msg: "Mandatory parameter 'timestamp' was not sent, was empty/null, or malformed." });
  }

  it('refuses a bad fault spec before starting, with exit code 2', async () => {
    const cli = runCli(['--faults', 'meteor=1']);
    let stderr = '';
    cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(cli, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toMatch(/Bad fault spec "meteor=1"/);
  });
});
