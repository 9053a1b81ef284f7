import fs from 'node:fs';
import path from 'node:path';
import type { JournalEntry, Ticker } from '../../../shared/domain';
import { IDLE_DRILL, type DrillCatalog, type DrillScenarioInfo, type DrillState } from '../../../shared/drills';
import { errorMessage } from '../../../shared/error-message';
import type { EngineContext } from '../engine-context';
import { CommandError } from '../errors';
import { BUILTIN_SCENARIOS } from './builtin-scenarios';
import type { DrillFeed } from './drill-feed';
import { buildDrillReport, type DrillJournalEntry } from './drill-report';
import { loadScenarioFile, type Scenario } from './scenario';

/** Where drills can play: the paper exchange's price feed and its clock. Absent in live mode. */
export interface DrillStage {
  feed: DrillFeed;
  /** The simulated exchange's clock. */
  simNow(): number;
}

export const LIVE_MODE_REFUSAL =
  'Drills run in paper mode only: a drill moves the simulated exchange’s prices, and a live exchange’s prices are real. Start the cockpit in paper mode to rehearse.';

/** The journal entries a drill report reads; breaker entries get their delay from the triggering mark. */
const REPORTED = new Set(['breaker.trip', 'breaker.action', 'order.request', 'fill', 'liquidation', 'flatten.start', 'flatten.end']);
const TIMED = new Set(['breaker.trip', 'breaker.action']);

interface Running {
  id: string;
  scenario: Scenario;
  /** Simulated time the scenario starts at; the drill begins when the exchange's clock gets there. */
  simStart: number;
  begun: boolean;
  startedAt: number;
  equityBefore: number | null;
  openAtStart: { symbol: string; side: 'long' | 'short'; liquidationPrice: number | null }[];
  entries: DrillJournalEntry[];
  markRange: Record<string, { low: number; high: number }>;
  lastMarkAt: number | null;
}

/**
 * Crash drills in paper mode: plays a scenario on the paper exchange's feed, shows a banner while it
 * runs, and at its end reports from the journal what happened: each breaker's trip and action with its
 * delay from the triggering mark, the orders sent and filled, liquidations suffered or avoided, and
 * the equity before and after.
 */
export class DrillService {
  private current: Running | null = null;
  private view: DrillState = IDLE_DRILL;
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly ctx: EngineContext,
    private readonly stage: DrillStage | null,
  ) {
    if (!stage) return;
    this.unsubscribe.push(
      ctx.market.onMark((ticker) => this.onMark(ticker)),
      ctx.bus.subscribe((event, payload) => {
        if (event === 'journal') this.onJournal(payload as JournalEntry);
      }),
    );
  }

  /** The drills on offer: the built-ins and the data folder's `drills/*.json`, each with its error if it cannot run. */
  catalog(): DrillCatalog {
    return { unavailable: this.stage ? null : LIVE_MODE_REFUSAL, scenarios: this.stage ? this.scenarios().map(({ info }) => info) : [], state: this.view };
  }

  state(): DrillState {
    return this.view;
  }

  /** Starts a drill now. Refused in live mode, while another runs, or for a file that does not read. */
  start(id: string): DrillState {
    const stage = this.requireStage();
    if (this.current && this.view.status === 'running') throw new CommandError('refused', `A drill is running (${this.current.scenario.name}): stop it first`);
    const found = this.scenarios().find(({ info }) => info.id === id);
    if (!found) throw new CommandError('invalid-input', `No drill "${id}": choose one from the Drill menu`);
    if (!found.scenario) throw new CommandError('invalid-input', `Drill ${found.info.name} cannot run: ${found.info.error}`);
    if (this.current) stage.feed.stop();
    this.schedule(id, found.scenario, stage.simNow());
    return this.view;
  }

  /**
   * Plays `scenario` from simulated time `simStart` (`--scenario FILE --scenario-at S`). The drill
   * begins, and is journalled, when the paper exchange's clock reaches it.
   */
  schedule(id: string, scenario: Scenario, simStart: number): void {
    const stage = this.requireStage();
    stage.feed.play(scenario, simStart);
    this.current = {
      id,
      scenario,
      simStart,
      begun: false,
      startedAt: this.ctx.now(),
      equityBefore: null,
      openAtStart: [],
      entries: [],
      markRange: {},
      lastMarkAt: null,
    };
    this.view = { status: 'running', scenario: { id, name: scenario.name }, startedAt: null, endsAt: null, report: this.view.report };
    if (stage.simNow() >= simStart) this.begin();
    this.emit();
  }

  /** Returns prices to the feed; a drill still running ends as `stopped`, with its report. */
  stop(): DrillState {
    const stage = this.requireStage();
    stage.feed.stop();
    if (this.current && this.view.status === 'running') this.finish('stopped');
    if (this.current) this.ctx.journal.record('drill.stop', { id: this.current.id });
    this.current = null;
    this.view = { ...IDLE_DRILL, report: this.view.report };
    this.emit();
    return this.view;
  }

  dispose(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private requireStage(): DrillStage {
    if (!this.stage) throw new CommandError('refused', LIVE_MODE_REFUSAL);
    return this.stage;
  }

  private scenarios(): { info: DrillScenarioInfo; scenario: Scenario | null }[] {
    const builtins = Object.entries(BUILTIN_SCENARIOS).map(([id, scenario]) => ({ info: info(`builtin:${id}`, scenario, 'built-in', null), scenario }));
    const dir = path.join(this.ctx.dataDir, 'drills');
    let files: string[] = [];
    try {
      files = fs.readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
    } catch {
      // no drills folder: only the built-ins
    }
    const own = files.map((name) => {
      const id = `file:${name}`;
      try {
        const scenario = loadScenarioFile(path.join(dir, name));
        return { info: info(id, scenario, 'file', null), scenario };
      } catch (error) {
        return {
          info: { id, name, description: '', source: 'file' as const, durationS: 0, symbols: [], error: errorMessage(error) },
          scenario: null,
        };
      }
    });
    return [...builtins, ...own];
  }

  private begin(): void {
    const running = this.current!;
    running.begun = true;
    running.startedAt = this.ctx.now();
    const account = this.ctx.account.hasBalance() ? this.ctx.account.accountState() : null;
    running.equityBefore = account?.equity ?? null;
    running.openAtStart = this.ctx.account.positionViews().map((p) => ({ symbol: p.symbol, side: p.side, liquidationPrice: p.liquidationPrice }));
    this.ctx.journal.record('drill.start', {
      id: running.id,
      name: running.scenario.name,
      durationS: running.scenario.durationS,
      equity: running.equityBefore,
      positions: running.openAtStart,
    });
    this.view = { ...this.view, startedAt: running.startedAt, endsAt: running.startedAt + running.scenario.durationS * 1000 };
  }

  private onMark(ticker: Ticker): void {
    const running = this.current;
    if (!running || this.view.status !== 'running') return;
    const simNow = this.stage!.simNow();
    if (!running.begun) {
      if (simNow < running.simStart) return;
      this.begin();
      this.emit();
    }
    running.lastMarkAt = this.ctx.now();
    const range = (running.markRange[ticker.symbol] ??= { low: ticker.mark, high: ticker.mark });
    range.low = Math.min(range.low, ticker.mark);
    range.high = Math.max(range.high, ticker.mark);
    if (simNow >= running.simStart + running.scenario.durationS * 1000) this.finish('finished');
  }

  private onJournal(entry: JournalEntry): void {
    const running = this.current;
    if (!running?.begun || this.view.status !== 'running' || !REPORTED.has(entry.type)) return;
    const delayMs = TIMED.has(entry.type) && running.lastMarkAt !== null ? Math.max(0, entry.time - running.lastMarkAt) : null;
    running.entries.push({ entry, delayMs });
  }

  private finish(outcome: 'finished' | 'stopped'): void {
    const running = this.current!;
    const account = this.ctx.account.hasBalance() ? this.ctx.account.accountState() : null;
    const report = buildDrillReport({
      scenario: running.scenario.name,
      outcome,
      startedAt: running.startedAt,
      endedAt: this.ctx.now(),
      equityBefore: running.equityBefore,
      equityAfter: account?.equity ?? null,
      entries: running.entries,
      markRange: running.markRange,
      openAtStart: running.openAtStart,
    });
    this.ctx.journal.report('drill.end', {
      id: running.id,
      outcome,
      equityBefore: report.equityBefore,
      equityAfter: report.equityAfter,
      liquidationsSuffered: report.liquidationsSuffered,
      liquidationsAvoided: report.liquidationsAvoided,
    });
    this.view = { ...this.view, status: outcome === 'finished' ? 'finished' : this.view.status, report };
    this.ctx.notify(
      report.liquidationsSuffered ? 'critical' : 'info',
      `Drill ${outcome}: ${running.scenario.name}`,
      `${report.events.filter((e) => e.kind === 'breaker-trip').length} breaker trip(s), ${report.liquidationsSuffered} liquidation(s) suffered, ${report.liquidationsAvoided} avoided.`,
    );
    this.emit();
  }

  private emit(): void {
    this.ctx.bus.emit('drill', this.view);
  }
}



function info(id: string, scenario: Scenario, source: DrillScenarioInfo['source'], error: string | null): DrillScenarioInfo {
  return { id, name: scenario.name, description: scenario.description, source, durationS: scenario.durationS, symbols: Object.keys(scenario.symbols), error };
}
