import type { Candle, StrategyStatus, Timeframe } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import { inThreadEvaluators } from './in-thread-evaluator';
import { SerialQueue } from './serial-queue';
import { isExitSignal, type ExitSignal, type Signal, type Strategy, type StrategyContext, type StrategyDecision } from './strategy';
import type { StrategyEvaluator, StrategyEvaluatorFactory, StrategyProfile } from './strategy-evaluator';
import { workerEvaluators } from './worker-evaluator';
import type { FileStrategyData } from './worker-messages';
import { errorMessage } from '../../../shared/error-message';

/** Closed bars fed to a strategy beyond its warm-up before it may signal. */
export const WARM_HISTORY_MARGIN = 50;

/**
 * The closed bars (oldest first) a strategy is warmed on: the newest of its warm-up plus
 * {@link WARM_HISTORY_MARGIN}. Its own count, whatever else was loaded, so its indicators start
 * from the same bar however many other strategies run (and the paper opening's search can
 * foresee them: opening-seed.ts).
 */
export function warmingHistory<T>(closed: readonly T[], warmup: number): readonly T[] {
  return closed.slice(-(warmup + WARM_HISTORY_MARGIN));
}

export interface StrategyRunnerOptions {
  /** The account as strategies may see it; called per evaluation and copied. */
  context: () => StrategyContext;
  /** Where entry signals go (the proposal service). Never awaited. */
  onSignal: (strategyId: string, signal: Signal, timeframe: Timeframe) => void;
  /** Where exit signals go (a close proposal, or a close at once in auto mode). Never awaited; without it, exits are dropped. */
  onExit?: (strategyId: string, exit: ExitSignal, timeframe: Timeframe) => void;
  /** Called whenever a status changes (running, error). */
  onStatus: (statuses: StrategyStatus[]) => void;
  /** Builds strategies to run on this thread (tests); short for `evaluators: inThreadEvaluators(build)`. */
  build?: (settings: StrategySettings) => Strategy;
  /** Where strategies run; by default each built-in strategy runs in its own worker thread (`workerEvaluators()`). */
  evaluators?: StrategyEvaluatorFactory;
  /** An evaluation still pending after this long fails, as a strategy error. */
  evaluationTimeoutMs?: number;
}

interface Slot {
  queue: SerialQueue;
  seen: number;
  /** The time of the latest candle queued, so a candle offered again is not fed twice. */
  latest: number;
}

/** What the runner needs of a strategy besides its code, whatever its source (built-in or file). */
export interface RunSettings {
  id: string;
  enabled: boolean;
  auto: boolean;
  maxConcurrentPositions: number;
  /** The symbols whose signals it may propose; null: every watched symbol. */
  symbols: readonly string[] | null;
}

/** A strategy file ready to run: its settings, and its evaluator made on demand (a changed `fingerprint` starts a fresh one). */
export interface FileStrategyRun {
  settings: RunSettings;
  fingerprint: string;
  evaluator: (timeoutMs: number) => StrategyEvaluator;
  /** The module and parameters it runs with, and its timeframe (for its backtests). */
  file?: FileStrategyData;
  timeframe?: Timeframe;
}

interface Entry {
  settings: RunSettings;
  fingerprint: string;
  evaluator: StrategyEvaluator;
  perSymbol: Map<string, Slot>;
  lastError: string | null;
}

/**
 * Runs the strategies, fenced off from the engine: every closed candle is
 * queued per strategy and symbol and never awaited by market data, inputs are
 * copies, strategy code runs where it cannot block the engine (a worker thread
 * by default), and whatever it throws (or an evaluation that never ends)
 * becomes that strategy's `lastError` while the engine goes on.
 */
export class StrategyRunner {
  private entries = new Map<string, Entry>();
  /** Every reason the strategies are stopped for, newest last: they run again once none is left. */
  private haltReasons: string[] = [];
  private stopped = false;
  private readonly evaluators: StrategyEvaluatorFactory;

  constructor(private readonly options: StrategyRunnerOptions) {
    this.evaluators = options.evaluators ?? (options.build ? inThreadEvaluators(options.build) : workerEvaluators());
  }

  private get haltReason(): string | null {
    return this.haltReasons.at(-1) ?? null;
  }

  get halted(): boolean {
    return this.haltReasons.length > 0;
  }

  /**
   * Rebuilds from settings: a strategy whose settings changed starts over (and warms up again).
   * `files` are the strategy files to run beside the built-ins; one whose fingerprint is unchanged keeps running.
   */
  configure(all: StrategySettings[], files: readonly FileStrategyRun[] = []): void {
    const timeoutMs = this.options.evaluationTimeoutMs ?? 30_000;
    const runs: FileStrategyRun[] = [
      ...all.map((settings) => ({ settings: { ...settings, symbols: null }, fingerprint: JSON.stringify(settings), evaluator: (ms: number) => this.evaluators(settings, ms) })),
      ...files,
    ];
    const next = new Map<string, Entry>();
    for (const run of runs) {
      const existing = this.entries.get(run.settings.id);
      if (existing && existing.fingerprint === run.fingerprint) {
        existing.settings = run.settings;
        next.set(run.settings.id, existing);
      } else next.set(run.settings.id, { settings: run.settings, fingerprint: run.fingerprint, evaluator: run.evaluator(timeoutMs), perSymbol: new Map(), lastError: null });
    }
    for (const [id, entry] of this.entries) if (next.get(id) !== entry) entry.evaluator.close();
    this.entries = next;
    this.publish();
  }

  /** The longest warm-up of the strategies on each timeframe, in closed bars. */
  warmupNeeds(): Map<Timeframe, number> {
    const needs = new Map<Timeframe, number>();
    for (const { evaluator: { profile } } of this.entries.values()) needs.set(profile.timeframe, Math.max(needs.get(profile.timeframe) ?? 0, profile.warmup));
    return needs;
  }

  timeframes(): Timeframe[] {
    return [...new Set([...this.entries.values()].filter((e) => e.settings.enabled).map((e) => e.evaluator.profile.timeframe))];
  }

  /** Feeds history (oldest first) without acting on any signal, so indicators are ready for live bars. Bars a strategy already has are skipped. */
  warm(symbol: string, timeframe: Timeframe, history: readonly Candle[]): void {
    for (const entry of this.entries.values()) {
      if (entry.evaluator.profile.timeframe !== timeframe) continue;
      for (const candle of warmingHistory(history, entry.evaluator.profile.warmup)) this.schedule(entry, symbol, candle, false);
    }
  }

  /** A closed bar from market data: queued for each strategy on that timeframe; returns at once. */
  onClosedCandle(symbol: string, timeframe: Timeframe, candle: Candle): void {
    for (const entry of this.entries.values()) {
      if (entry.evaluator.profile.timeframe !== timeframe) continue;
      this.schedule(entry, symbol, candle, true);
    }
  }

  /** Stops signals from every strategy until resumed (the flatten and the breakers call this). Indicators keep learning. */
  halt(reason: string): void {
    this.haltReasons = [...this.haltReasons.filter((r) => r !== reason), reason];
    this.publish();
  }

  /** The user's resume: every halt ends. */
  resume(): void {
    this.haltReasons = [];
    this.publish();
  }

  /** Ends the halt for this one reason (a loss limit's, when its period ends); the strategies stay stopped while any other holds. */
  release(reason: string): void {
    if (!this.haltReasons.includes(reason)) return;
    this.haltReasons = this.haltReasons.filter((r) => r !== reason);
    this.publish();
  }

  /** Shuts the strategies down for good (engine stop): their workers end and no candle is evaluated any more. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.entries.values()) entry.evaluator.close();
  }

  settings(id: string): RunSettings | null {
    return this.entries.get(id)?.settings ?? null;
  }

  /** What the runner knows of a configured strategy (its risk per trade among it), or null. */
  profile(id: string): StrategyProfile | null {
    return this.entries.get(id)?.evaluator.profile ?? null;
  }

  statuses(): StrategyStatus[] {
    return [...this.entries.values()].map((e) => ({
      id: e.settings.id,
      label: e.evaluator.profile.label,
      enabled: e.settings.enabled,
      auto: e.settings.auto,
      running: e.settings.enabled && !this.halted,
      haltedReason: this.haltReason,
      lastError: e.lastError,
    }));
  }

  /** Resolves once every queued evaluation has run (tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.entries.values()].flatMap((e) => [...e.perSymbol.values()].map((s) => s.queue.idle())));
  }

  private slot(entry: Entry, symbol: string): Slot {
    let slot = entry.perSymbol.get(symbol);
    if (!slot) entry.perSymbol.set(symbol, (slot = { queue: new SerialQueue(), seen: 0, latest: -Infinity }));
    return slot;
  }

  private current(entry: Entry): boolean {
    return !this.stopped && this.entries.get(entry.settings.id) === entry;
  }

  private schedule(entry: Entry, symbol: string, candle: Candle, live: boolean): void {
    const slot = this.slot(entry, symbol);
    if (this.stopped || candle.time <= slot.latest) return;
    slot.latest = candle.time;
    const input = structuredClone(candle);
    slot.queue.push(async () => {
      if (!this.current(entry)) return;
      slot.seen += 1;
      let signal: StrategyDecision | null;
      try {
        signal = await entry.evaluator.evaluate(symbol, input, structuredClone(this.options.context()));
      } catch (error) {
        if (this.current(entry)) this.fail(entry, symbol, error);
        return;
      }
      if (!signal || !live || slot.seen <= entry.evaluator.profile.warmup) return;
      const { enabled, symbols } = entry.settings;
      if (!enabled || this.halted || !this.current(entry)) return;
      if (symbols && symbols.length > 0 && !symbols.includes(symbol)) return;
      if (entry.lastError) {
        entry.lastError = null;
        this.publish();
      }
      try {
        const decision = validateDecision(signal, symbol);
        if (isExitSignal(decision)) this.options.onExit?.(entry.settings.id, decision, entry.evaluator.profile.timeframe);
        else this.options.onSignal(entry.settings.id, decision, entry.evaluator.profile.timeframe);
      } catch (error) {
        this.fail(entry, symbol, error);
      }
    });
  }

  private fail(entry: Entry, symbol: string, error: unknown): void {
    entry.lastError = `${symbol}: ${errorMessage(error)}`;
    this.publish();
  }

  private publish(): void {
    this.options.onStatus(this.statuses());
  }
}

/** A decision the engine can use (an entry or an exit), or a clear error naming what is wrong with it. */
export function validateDecision(decision: StrategyDecision, symbol: string): StrategyDecision {
  if (decision.symbol !== symbol) throw new Error(`signal for ${decision.symbol} came from the ${symbol} feed`);
  if (isExitSignal(decision)) return { kind: 'exit', symbol, reason: String(decision.reason ?? '').slice(0, 500) };
  return validateSignal(decision);
}

function validateSignal(signal: Signal): Signal {
  if (signal.kind !== undefined && signal.kind !== 'entry') throw new Error(`signal kind must be entry or exit, got ${String(signal.kind)}`);
  if (signal.side !== 'long' && signal.side !== 'short') throw new Error(`signal side must be long or short, got ${String(signal.side)}`);
  for (const field of ['entry', 'stop', 'takeProfit'] as const) {
    if (!(Number.isFinite(signal[field]) && signal[field] > 0)) throw new Error(`signal ${field} must be a price above zero, got ${signal[field]}`);
  }
  if (signal.leverage !== undefined && !(Number.isFinite(signal.leverage) && signal.leverage >= 1)) throw new Error(`signal leverage must be at least 1, got ${signal.leverage}`);
  return { ...signal, reason: String(signal.reason ?? '').slice(0, 500) };
}
