import type { Candle, StrategyStatus, Timeframe } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import { buildStrategy } from './catalog';
import { SerialQueue } from './serial-queue';
import type { Signal, Strategy, StrategyContext, SymbolStrategy } from './strategy';

export interface StrategyRunnerOptions {
  /** The account as strategies may see it; called per evaluation and copied. */
  context: () => StrategyContext;
  /** Where signals go (the proposal service). Never awaited. */
  onSignal: (strategyId: string, signal: Signal, timeframe: Timeframe) => void;
  /** Called whenever a status changes (running, error). */
  onStatus: (statuses: StrategyStatus[]) => void;
  /** Builds a strategy from its settings; the built-in catalogue by default. */
  build?: (settings: StrategySettings) => Strategy;
  /** An evaluation still pending after this long is abandoned and reported as a strategy error. */
  evaluationTimeoutMs?: number;
}

interface Entry {
  settings: StrategySettings;
  strategy: Strategy;
  perSymbol: Map<string, { state: SymbolStrategy; queue: SerialQueue; seen: number }>;
  lastError: string | null;
}

/**
 * Runs the strategies, fenced off from the engine: every closed candle is
 * queued per strategy and symbol and never awaited by market data, inputs are
 * copies, and whatever strategy code throws (or a never-ending evaluation)
 * becomes that strategy's `lastError` while the engine goes on.
 */
export class StrategyRunner {
  private entries = new Map<string, Entry>();
  private haltReason: string | null = null;

  constructor(private readonly options: StrategyRunnerOptions) {}

  get halted(): boolean {
    return this.haltReason !== null;
  }

  /** Rebuilds from settings: a strategy whose settings changed starts over (and warms up again). */
  configure(all: StrategySettings[]): void {
    const next = new Map<string, Entry>();
    for (const settings of all) {
      const existing = this.entries.get(settings.id);
      if (existing && JSON.stringify(existing.settings) === JSON.stringify(settings)) next.set(settings.id, existing);
      else {
        const build = this.options.build ?? buildStrategy;
        next.set(settings.id, { settings, strategy: build(settings), perSymbol: new Map(), lastError: null });
      }
    }
    this.entries = next;
    this.publish();
  }

  /** The closed-bar history each strategy needs before it may signal, per timeframe. */
  warmupNeeds(): Map<Timeframe, number> {
    const needs = new Map<Timeframe, number>();
    for (const e of this.entries.values()) needs.set(e.strategy.timeframe, Math.max(needs.get(e.strategy.timeframe) ?? 0, e.strategy.warmup));
    return needs;
  }

  timeframes(): Timeframe[] {
    return [...new Set([...this.entries.values()].filter((e) => e.settings.enabled).map((e) => e.strategy.timeframe))];
  }

  /** Feeds history (oldest first) without acting on any signal, so indicators are ready for live bars. */
  warm(symbol: string, timeframe: Timeframe, history: readonly Candle[]): void {
    for (const entry of this.entries.values()) {
      if (entry.strategy.timeframe !== timeframe) continue;
      const slot = this.slot(entry, symbol);
      for (const candle of history) this.schedule(entry, symbol, slot, candle, false);
    }
  }

  /** A closed bar from market data: queued for each strategy on that timeframe; returns at once. */
  onClosedCandle(symbol: string, timeframe: Timeframe, candle: Candle): void {
    for (const entry of this.entries.values()) {
      if (entry.strategy.timeframe !== timeframe) continue;
      this.schedule(entry, symbol, this.slot(entry, symbol), candle, true);
    }
  }

  /** Stops signals from every strategy until resumed (the flatten calls this). Indicators keep learning. */
  halt(reason: string): void {
    this.haltReason = reason;
    this.publish();
  }

  resume(): void {
    this.haltReason = null;
    this.publish();
  }

  settings(id: string): StrategySettings | null {
    return this.entries.get(id)?.settings ?? null;
  }

  statuses(): StrategyStatus[] {
    return [...this.entries.values()].map((e) => ({
      id: e.settings.id,
      label: e.strategy.label,
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

  private slot(entry: Entry, symbol: string) {
    let slot = entry.perSymbol.get(symbol);
    if (!slot) {
      slot = { state: entry.strategy.forSymbol(symbol), queue: new SerialQueue(), seen: 0 };
      entry.perSymbol.set(symbol, slot);
    }
    return slot;
  }

  private schedule(entry: Entry, symbol: string, slot: { state: SymbolStrategy; queue: SerialQueue; seen: number }, candle: Candle, live: boolean): void {
    const input = structuredClone(candle);
    slot.queue.push(async () => {
      if (this.entries.get(entry.settings.id) !== entry) return;
      slot.seen += 1;
      let signal: Signal | null;
      try {
        signal = await this.evaluate(slot.state, input);
      } catch (error) {
        this.fail(entry, symbol, error);
        return;
      }
      if (!signal || !live || slot.seen <= entry.strategy.warmup) return;
      if (!entry.settings.enabled || this.halted) return;
      if (entry.lastError) {
        entry.lastError = null;
        this.publish();
      }
      try {
        this.options.onSignal(entry.settings.id, validateSignal(signal, symbol), entry.strategy.timeframe);
      } catch (error) {
        this.fail(entry, symbol, error);
      }
    });
  }

  private async evaluate(state: SymbolStrategy, candle: Candle): Promise<Signal | null> {
    const context = structuredClone(this.options.context());
    const result = state.onCandle(candle, context);
    if (!(result instanceof Promise)) return result ? structuredClone(result) : null;
    const timeoutMs = this.options.evaluationTimeoutMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`evaluation took longer than ${timeoutMs} ms and was abandoned`)), timeoutMs);
      timer.unref?.();
    });
    try {
      const signal = await Promise.race([result, timeout]);
      return signal ? structuredClone(signal) : null;
    } finally {
      clearTimeout(timer);
    }
  }

  private fail(entry: Entry, symbol: string, error: unknown): void {
    entry.lastError = `${symbol}: ${error instanceof Error ? error.message : String(error)}`;
    this.publish();
  }

  private publish(): void {
    this.options.onStatus(this.statuses());
  }
}

/** A signal the engine can use, or a clear error naming what is wrong with it. */
function validateSignal(signal: Signal, symbol: string): Signal {
  if (signal.symbol !== symbol) throw new Error(`signal for ${signal.symbol} came from the ${symbol} feed`);
  if (signal.side !== 'long' && signal.side !== 'short') throw new Error(`signal side must be long or short, got ${String(signal.side)}`);
  for (const field of ['entry', 'stop', 'takeProfit'] as const) {
    if (!(Number.isFinite(signal[field]) && signal[field] > 0)) throw new Error(`signal ${field} must be a price above zero, got ${signal[field]}`);
  }
  if (signal.leverage !== undefined && !(Number.isFinite(signal.leverage) && signal.leverage >= 1)) throw new Error(`signal leverage must be at least 1, got ${signal.leverage}`);
  return { ...signal, reason: String(signal.reason ?? '').slice(0, 500) };
}
