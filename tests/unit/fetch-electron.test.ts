import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ELECTRON_VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')).version as string;

/** A loopback port with nothing listening: a download from it fails at once. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function fetchElectron(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/fetch-electron.mjs')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm start without access to the Electron download', () => {
  it('is the first step of npm start', () => {
    const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.start).toMatch(/^node scripts\/fetch-electron\.mjs && /);
  });

  it('says what it fetched from where, the error, what helps and the browser path, and exits 1 with no stack trace or JSON', async () => {
    const port = await closedPort();
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-electron-cache-'));
    const { ELECTRON_SKIP_BINARY_DOWNLOAD: _skip, ...env } = process.env;
    try {
      // A Windows build is never installed here, so the installer downloads even where a Linux Electron is.
      const { code, stderr } = await fetchElectron({ ...env, ELECTRON_INSTALL_PLATFORM: 'win32', ELECTRON_INSTALL_ARCH: 'x64', ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache });
      expect(code).toBe(1);
      const lines = stderr.split('\n');
      expect(lines[0]).toBe(`npm start: the Electron ${ELECTRON_VERSION} binary (win32-x64) could not be downloaded.`);
      expect(lines[1]).toBe(`  from:  http://127.0.0.1:${port}/v${ELECTRON_VERSION}/electron-v${ELECTRON_VERSION}-win32-x64.zip`);
      expect(lines[2]).toMatch(/^ {2}error: \S/);
      expect(lines[2]).toMatch(/fetch failed|ECONNREFUSED/);
      for (const help of ['ELECTRON_MIRROR=', 'HTTPS_PROXY=', 'ELECTRON_SKIP_BINARY_DOWNLOAD=1', 'electron_dist', 'npm run headless']) expect(stderr).toContain(help);
      expect(lines.filter((line) => /^\s+at /.test(line)), 'no stack trace').toEqual([]);
      expect(stderr, 'no JSON blob').not.toMatch(/[{}]/);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);

  it('fetches nothing with ELECTRON_SKIP_BINARY_DOWNLOAD set', async () => {
    const { code, stderr } = await fetchElectron({ ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_INSTALL_PLATFORM: 'win32', ELECTRON_MIRROR: 'http://127.0.0.1:9/' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
