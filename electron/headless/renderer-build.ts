import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** What the renderer in `out/` is built from: a change to any of these makes the build stale. */
const SOURCES = ['renderer', 'shared', 'electron.vite.config.ts', 'package.json'];
const IS_TEST = /\.test\.tsx?$/;
/** A build lock older than this was left by a build that died: it is taken over. */
const STALE_LOCK_MS = 10 * 60_000;

/** Whether `out/renderer` can be served as it is, and why not. */
export type RendererBuild = { state: 'fresh' } | { state: 'missing' } | { state: 'stale'; newer: string };

function newestSource(root: string): { file: string; mtimeMs: number } | null {
  let newest: { file: string; mtimeMs: number } | null = null;
  const visit = (file: string) => {
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(file)) visit(path.join(file, name));
      return;
    }
    if (IS_TEST.test(file)) return;
    if (!newest || stat.mtimeMs > newest.mtimeMs) newest = { file, mtimeMs: stat.mtimeMs };
  };
  for (const source of SOURCES) visit(path.join(root, source));
  return newest;
}

/** The state of `<root>/out/renderer` against the renderer's sources (test files aside). */
export function rendererBuild(root: string): RendererBuild {
  const built = fs.statSync(path.join(root, 'out', 'renderer', 'index.html'), { throwIfNoEntry: false });
  if (!built) return { state: 'missing' };
  const newest = newestSource(root);
  if (newest && newest.mtimeMs > built.mtimeMs) return { state: 'stale', newer: path.relative(root, newest.file) };
  return { state: 'fresh' };
}

function runBuild(root: string): Promise<void> {
  const cli = path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'build'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', (error) => reject(new Error(`the build could not start (${error.message})`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`the build of out/ failed (electron-vite build exited ${code}):\n${output.trim()}`))));
  });
}

/** Holds `out/.build.lock` while `build` runs, so two cockpits started at once do not build into one folder together. */
async function underBuildLock<T>(root: string, build: () => Promise<T>, wait: (ms: number) => Promise<void>): Promise<T | null> {
  const lock = path.join(root, 'out', '.build.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch {
    const held = fs.statSync(lock, { throwIfNoEntry: false });
    if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) fs.rmSync(lock, { force: true });
    else await wait(500);
    return null;
  }
  try {
    return await build();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Builds `out/` (`electron-vite build`) when the renderer is missing or older than its sources,
 * saying so in one `progress` line; its output is kept back and shown only when it fails. Another
 * cockpit building at the same moment is waited for, not joined.
 */
export async function ensureRendererBuilt(root: string, progress: (line: string) => void): Promise<void> {
  let announced = false;
  for (let build = rendererBuild(root); build.state !== 'fresh'; build = rendererBuild(root)) {
    if (!announced) {
      progress(`building out/ first (${build.state === 'missing' ? 'the renderer is not built yet' : `${build.newer} is newer than the build`}); this takes a minute`);
      announced = true;
    }
    // Built here: done, even if a source dated in the future still looks newer.
    if (await underBuildLock(root, () => runBuild(root).then(() => true), sleep)) return;
  }
}
