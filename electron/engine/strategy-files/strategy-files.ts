import fs from 'node:fs';
import path from 'node:path';
import type { StrategyFileView } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import { STRATEGY_FILE_ID } from '../../../shared/settings';
import type { StrategyFileProbe } from '../strategy/worker-messages';
import { probeStrategyFile } from './probe';
import { transpileStrategy } from './transpile';

const SOURCE = /\.(ts|mts|js|mjs)$/;

export interface StrategyFilesOptions {
  /** The strategies folder, created if missing. */
  dir: string;
  /** Where transpiled modules are written (outside the strategies folder). */
  buildDir: string;
  now: () => number;
  /** Called after any file was added, changed, removed or (re)loaded, with every file's view. */
  onChange: (views: StrategyFileView[]) => void;
  /** How often the folder is looked at for changes. */
  pollMs?: number;
  /** How long a file's module may take to load and declare itself. */
  loadTimeoutMs?: number;
}

/** A strategy file that loaded: the module its workers import, and what it declared with its default parameters. */
export interface LoadedStrategyFile {
  id: string;
  module: string;
  probe: StrategyFileProbe;
}

/**
 * The strategy files in the strategies folder: each `.ts`, `.mts`, `.js` or `.mjs`
 * file is transpiled (esbuild) and loaded in a throwaway worker to read what it
 * declares. A file that fails is listed with its error; a file that changes is
 * read again, and its new version replaces the loaded one only once it loads.
 */
export class StrategyFiles {
  private readonly views = new Map<string, StrategyFileView>();
  private readonly loaded = new Map<string, LoadedStrategyFile>();
  private readonly stamps = new Map<string, string>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private scanning: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly options: StrategyFilesOptions) {}

  get dir(): string {
    return this.options.dir;
  }

  /** Reads the folder now and then every `pollMs`; resolves once the first read has loaded every file. */
  start(): Promise<void> {
    fs.mkdirSync(this.options.dir, { recursive: true });
    this.timer = setInterval(() => void this.scan(), this.options.pollMs ?? 1_000);
    this.timer.unref?.();
    return this.scan();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  list(): StrategyFileView[] {
    return [...this.views.values()].sort((a, b) => a.file.localeCompare(b.file));
  }

  get(id: string): LoadedStrategyFile | null {
    return this.loaded.get(id) ?? null;
  }

  /** Looks at the folder once (a look already under way is followed by one more); resolves when done. */
  scan(): Promise<void> {
    if (this.scanning) {
      this.again = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.again = false;
        await this.scanOnce();
      } while (this.again && !this.stopped);
    })().finally(() => (this.scanning = null));
    return this.scanning;
  }

  private async scanOnce(): Promise<void> {
    let names: string[];
    try {
      names = fs.readdirSync(this.options.dir).filter((name) => SOURCE.test(name) && !name.endsWith('.d.ts'));
    } catch {
      names = [];
    }
    let removed = false;
    for (const id of [...this.stamps.keys()]) {
      if (names.includes(id.slice('file:'.length))) continue;
      this.stamps.delete(id);
      this.views.delete(id);
      this.loaded.delete(id);
      removed = true;
    }
    if (removed) this.options.onChange(this.list());
    for (const name of names) {
      const id = `file:${name}`;
      const file = path.join(this.options.dir, name);
      let stamp: string;
      try {
        const stat = fs.statSync(file);
        stamp = `${stat.mtimeMs}:${stat.size}`;
      } catch {
        continue;
      }
      if (this.stamps.get(id) === stamp) continue;
      this.stamps.set(id, stamp);
      await this.load(id, name, file);
      if (this.stopped) return;
      this.options.onChange(this.list());
    }
  }

  private async load(id: string, name: string, file: string): Promise<void> {
    const view: StrategyFileView = { id, file: name, label: null, timeframe: null, params: [], error: null, loadedAt: this.options.now() };
    try {
      if (!STRATEGY_FILE_ID.test(id)) throw new Error('rename it: a strategy file name has only letters, digits, _, . and -');
      const module = await transpileStrategy(file, this.options.buildDir);
      const probe = await probeStrategyFile({ id, module, params: {} }, this.options.loadTimeoutMs ?? 30_000);
      this.loaded.set(id, { id, module, probe });
      this.views.set(id, { ...view, label: probe.label, timeframe: probe.timeframe, params: probe.params });
    } catch (error) {
      const previous = this.loaded.get(id);
      const keeps = previous ? '; the version loaded before keeps running' : '';
      this.views.set(id, {
        ...view,
        ...(previous ? { label: previous.probe.label, timeframe: previous.probe.timeframe, params: previous.probe.params } : {}),
        error: `${name} did not load: ${errorMessage(error)}${keeps}`,
      });
    }
  }
}
