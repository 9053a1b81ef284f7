import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Kept as .txt: it is scanned as the Electron main process it imitates, not built or imported. */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'audit-window', 'main.js.txt');

/** Runs `npm run audit:electron`'s script over one folder holding `main.js`. */
function audit(mainJs: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-fixture-'));
  fs.writeFileSync(path.join(dir, 'main.js'), mainJs);
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'audit-electron.mjs'), '--no-report', dir], { cwd: ROOT, encoding: 'utf8' });
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

describe('npm run audit:electron', () => {
  it('passes a window with context isolation, the sandbox and no Node', () => {
    const run = audit(fs.readFileSync(FIXTURE, 'utf8'));
    expect(run.stdout, run.stderr).toMatch(/0 blocking/);
    expect(run.status).toBe(0);
  });

  it('fails when the window drops contextIsolation, and names the finding', () => {
    const source = fs.readFileSync(FIXTURE, 'utf8');
    const insecure = source.replace(/^\s*contextIsolation: true,\n/m, '');
    expect(insecure).not.toBe(source);
    const run = audit(insecure);
    expect(run.stdout, run.stderr).toMatch(/BLOCKING CONTEXT_ISOLATION_JS_CHECK HIGH/);
    expect(run.status).toBe(1);
  });
});
