import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendererBuild } from './renderer-build';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** A project tree with sources and, when `builtAt` is given, a renderer built at that time (seconds). */
function project(files: Record<string, number>, builtAt?: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-build-'));
  roots.push(root);
  const write = (file: string, at: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), at, at);
  };
  for (const [file, at] of Object.entries(files)) write(file, at);
  if (builtAt !== undefined) write('out/renderer/index.html', builtAt);
  return root;
}

const SOURCES = { 'renderer/src/App.tsx': 1_000, 'shared/domain.ts': 1_000, 'electron.vite.config.ts': 1_000, 'package.json': 1_000 };

describe('the renderer build npm run headless serves', () => {
  it('is missing when out/renderer has no index.html', () => {
    expect(rendererBuild(project(SOURCES))).toEqual({ state: 'missing' });
  });

  it('is fresh when built after every source', () => {
    expect(rendererBuild(project(SOURCES, 2_000))).toEqual({ state: 'fresh' });
  });

  it('is stale when a renderer or shared source, the build config or package.json changed after it, and names the file', () => {
    for (const file of Object.keys(SOURCES)) {
      expect(rendererBuild(project({ ...SOURCES, [file]: 3_000 }, 2_000))).toEqual({ state: 'stale', newer: file });
    }
  });

  it('ignores test files and the engine, which headless runs from source', () => {
    const root = project({ ...SOURCES, 'renderer/src/App.test.tsx': 3_000, 'shared/risk/sizing.test.ts': 3_000, 'electron/engine/engine.ts': 3_000 }, 2_000);
    expect(rendererBuild(root)).toEqual({ state: 'fresh' });
  });
});
