import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(f))
    .map((f) => path.join(dir, f));
}

/** Every module specifier a file imports, requires or dynamically imports. */
export function importsOf(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1]!);
  return specifiers;
}

const SHELL_DIRS = [path.join('electron', 'main'), path.join('electron', 'preload')];
const inShell = (file: string) => SHELL_DIRS.some((dir) => file === dir || file.startsWith(dir + path.sep));

/** Packages that load Electron themselves: importing one pulls Electron in as surely as importing it. */
const ELECTRON_PACKAGES = ['electron', 'electron-store'];

/** Whether `spec`, imported by `file`, brings in Electron: the package, one that needs it, or a module of the Electron shell. */
function bringsInElectron(file: string, spec: string): boolean {
  if (ELECTRON_PACKAGES.some((name) => spec === name || spec.startsWith(`${name}/`))) return true;
  if (!spec.startsWith('.')) return false;
  return inShell(path.relative(root, path.resolve(root, path.dirname(file), spec)));
}

const THIS_FILE = path.join('tests', 'unit', 'boundaries.test.ts');

describe('process boundaries', () => {
  it('finds the specifier in every import form', () => {
    expect(importsOf(`import { app } from 'electron';`)).toEqual(['electron']);
    expect(importsOf(`const e = require("electron")`)).toEqual(['electron']);
    expect(importsOf(`await import('electron')`)).toEqual(['electron']);
    expect(importsOf(`import 'electron/main'`)).toEqual(['electron/main']);
  });

  it('sees Electron coming in directly, through a package that needs it, or through the shell’s own modules', () => {
    const engineFile = path.join('electron', 'engine', 'journal.ts');
    expect(bringsInElectron(engineFile, 'electron')).toBe(true);
    expect(bringsInElectron(engineFile, 'electron/main')).toBe(true);
    expect(bringsInElectron(engineFile, 'electron-store')).toBe(true);
    expect(bringsInElectron(engineFile, '../main/security')).toBe(true);
    expect(bringsInElectron(engineFile, '../preload/index')).toBe(true);
    expect(bringsInElectron(engineFile, './errors')).toBe(false);
    expect(bringsInElectron(engineFile, '../../shared/contract')).toBe(false);
    expect(bringsInElectron(engineFile, 'ccxt')).toBe(false);
    expect(bringsInElectron(engineFile, '../mainframe/x')).toBe(false);
  });

  it('keeps electron out of every file but electron/main and electron/preload', () => {
    const files = ['electron', 'shared', 'renderer', 'tests', 'scripts']
      .flatMap(sourceFiles)
      .filter((f) => !inShell(f) && f !== THIS_FILE);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.filter((f) => importsOf(fs.readFileSync(path.join(root, f), 'utf8')).some((spec) => bringsInElectron(f, spec)));
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
