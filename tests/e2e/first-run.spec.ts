import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** What a fresh clone does not have: installed packages (linked in), builds, reports and local data. */
const NOT_IN_A_CLONE = new Set(['node_modules', 'out', '.git', 'test-results', 'playwright-report', '.reports', '.cockpit-data', 'coverage']);
/** A build on a loaded machine takes a while: the address comes after it. */
const FIRST_LINE_TIMEOUT_MS = 240_000;

/** A copy of the project as a fresh clone has it after `npm install`: no out/ at all. */
function freshClone(): string {
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-first-run-'));
  for (const name of fs.readdirSync(ROOT)) {
    if (!NOT_IN_A_CLONE.has(name)) fs.cpSync(path.join(ROOT, name), path.join(clone, name), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'), 'dir');
  return clone;
}

test.describe('the first run in a browser', () => {
  test('from a clone with no out/, `npm run -s headless -- --port 0` builds first with one line on stderr, prints the address as its first stdout line, and serves the cockpit', async ({ page }) => {
    test.setTimeout(FIRST_LINE_TIMEOUT_MS + 60_000);
    const clone = freshClone();
    expect(fs.existsSync(path.join(clone, 'out'))).toBe(false);
    const child = spawn('npm', ['run', '-s', 'headless', '--', '--port', '0', '--data-dir', path.join(clone, '.cockpit-data')], {
      cwd: clone,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    try {
      await expect
        .poll(() => stdout.includes('\n') || child.exitCode !== null, { message: `the first stdout line\n--- stderr ---\n${stderr}`, timeout: FIRST_LINE_TIMEOUT_MS, intervals: [500] })
        .toBe(true);
      const [first] = stdout.split('\n');
      expect(first, `stderr:\n${stderr}`).toMatch(/^cockpit: http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/);
      const progress = stderr.split('\n').filter((line) => /build/i.test(line));
      expect(progress, 'one progress line for the build, its own output kept back').toEqual(['cockpit: building out/ first (the renderer is not built yet); this takes a minute']);
      expect(fs.existsSync(path.join(clone, 'out', 'renderer', 'index.html')), 'the build went into the clone').toBe(true);

      await page.goto(first!.slice('cockpit: '.length));
      await expect(page.getByTestId('connection-status')).toHaveText('connected');
      await expect(page.getByTestId('rate-limit')).toHaveAttribute('data-limit', '2400');
    } finally {
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(clone, { recursive: true, force: true });
    }
  });
});
