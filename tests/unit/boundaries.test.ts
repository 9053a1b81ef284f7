import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts|cts)$/.test(f))
    .map((f) => path.join(dir, f));
}

/** Every module specifier a file imports, requires or dynamically imports. */
export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

const isElectron = (spec: string) => spec === 'electron' || spec.startsWith('electron/');

describe('process boundaries', () => {
  it('finds the specifier in every import form', () => {
    expect(importsOf(`import { app } from 'electron';`)).toEqual(['electron']);
    expect(importsOf(`const e = require("electron")`)).toEqual(['electron']);
    expect(importsOf(`await import('electron')`)).toEqual(['electron']);
    expect(importsOf(`import 'electron/main'`)).toEqual(['electron/main']);
  });

  it('keeps electron out of every file but electron/main and electron/preload', () => {
    const files = [...sourceFiles('electron'), ...sourceFiles('shared'), ...sourceFiles('renderer')].filter(
      (f) => !f.startsWith(path.join('electron', 'main')) && !f.startsWith(path.join('electron', 'preload')),
    );
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => importsOf(fs.readFileSync(path.join(root, f), 'utf8')).some(isElectron));
    expect(offenders).toEqual([]);
  });

  it('keeps the renderer away from the engine and Node', () => {
    const offenders = sourceFiles('renderer').filter((f) =>
      importsOf(fs.readFileSync(path.join(root, f), 'utf8')).some((s) => s.includes('/electron/') || s.startsWith('node:')),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps shared/ pure: no Node built-ins, no engine imports', () => {
    const offenders = sourceFiles('shared').filter((f) =>
      importsOf(fs.readFileSync(path.join(root, f), 'utf8')).some((s) => s.startsWith('node:') || s.includes('/electron/')),
    );
    expect(offenders).toEqual([]);
  });
});
