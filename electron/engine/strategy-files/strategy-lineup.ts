import type { StrategyFileView } from '../../../shared/domain';
import { errorMessage } from '../../../shared/error-message';
import type { StrategyFileSettings } from '../../../shared/settings';
import { resolveParams } from '../strategy/strategy-definition';
import type { FileStrategyRun } from '../strategy/strategy-runner';
import { fileEvaluator } from '../strategy/worker-evaluator';
import type { StrategyFileProbe } from '../strategy/worker-messages';
import { probeStrategyFile } from './probe';
import type { StrategyFiles } from './strategy-files';

/**
 * Which strategy files run, and how: each enabled file that loaded, with the
 * user's parameters checked against the bounds it declares. A file whose
 * parameters are out of bounds does not run, and its view says why.
 */
export class StrategyLineup {
  private runs: FileStrategyRun[] = [];
  private readonly problems = new Map<string, string>();
  private readonly probes = new Map<string, Promise<StrategyFileProbe>>();
  private generation = 0;

  constructor(
    private readonly files: StrategyFiles,
    private readonly loadTimeoutMs = 30_000,
  ) {}

  current(): FileStrategyRun[] {
    return this.runs;
  }

  /** Every file's view, with what keeps a configured one from running. */
  views(): StrategyFileView[] {
    return this.files.list().map((view) => {
      const problem = this.problems.get(view.id);
      return problem ? { ...view, error: view.error ? `${view.error}; ${problem}` : problem } : view;
    });
  }

  /** Works the runs out again; resolves true when they were replaced (false when a later refresh overtook this one). */
  async refresh(configs: readonly StrategyFileSettings[]): Promise<boolean> {
    const generation = ++this.generation;
    const problems = new Map<string, string>();
    const runs: FileStrategyRun[] = [];
    for (const config of configs) {
      const loaded = this.files.get(config.id);
      if (!config.enabled || !loaded) continue;
      const resolved = resolveParams(loaded.probe.params, config.params);
      if ('errors' in resolved) {
        problems.set(config.id, `not running: ${Object.entries(resolved.errors).map(([name, why]) => `parameter ${name} ${why}`).join('; ')}`);
        continue;
      }
      const file = { id: config.id, module: loaded.module, params: { ...resolved.params } };
      let probe: StrategyFileProbe;
      try {
        probe = await this.probe(file, loaded.probe);
      } catch (error) {
        problems.set(config.id, `not running with these parameters: ${errorMessage(error)}`);
        continue;
      }
      const profile = { id: config.id, label: probe.label, timeframe: probe.timeframe, warmup: probe.warmup };
      runs.push({
        settings: { id: config.id, enabled: true, auto: config.auto, maxConcurrentPositions: config.maxConcurrentPositions, symbols: config.symbols },
        fingerprint: JSON.stringify([file.module, file.params]),
        evaluator: (timeoutMs) => fileEvaluator(file, profile, timeoutMs),
        file,
        timeframe: probe.timeframe,
      });
    }
    if (generation !== this.generation) return false;
    this.problems.clear();
    for (const [id, problem] of problems) this.problems.set(id, problem);
    this.runs = runs;
    return true;
  }

  /** The file's warm-up depends on its parameters: defaults reuse the load's probe, others are probed once. */
  private probe(file: { id: string; module: string; params: Record<string, number> }, defaults: StrategyFileProbe): Promise<StrategyFileProbe> {
    if (defaults.params.every((p) => file.params[p.name] === p.default)) return Promise.resolve(defaults);
    const key = JSON.stringify([file.module, file.params]);
    let probe = this.probes.get(key);
    if (!probe) {
      probe = probeStrategyFile(file, this.loadTimeoutMs);
      probe.catch(() => this.probes.delete(key));
      this.probes.set(key, probe);
    }
    return probe;
  }
}
