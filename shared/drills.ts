/** A crash drill the user can run in paper mode: a built-in one, or a scenario file of their own. */
export interface DrillScenarioInfo {
  /** `builtin:flash-crash`, or `file:<name>.json` for a file in the data folder's `drills/`. */
  id: string;
  name: string;
  description: string;
  source: 'built-in' | 'file';
  /** Seconds from start to the scenario's last point (simulated time). */
  durationS: number;
  symbols: string[];
  /** Why a user file cannot run (it cannot be read, or a field is wrong); null when it can. */
  error: string | null;
}

/** What happened in a drill, one line each, in order of time. */
export interface DrillReportEvent {
  time: number;
  kind: 'breaker-trip' | 'breaker-action' | 'order-sent' | 'order-filled' | 'liquidation' | 'flatten';
  symbol: string | null;
  text: string;
  /** Breaker trips and actions: milliseconds from the mark update that triggered them (the latest one received before). */
  delayMs: number | null;
}

/** The drill's account of itself, built from the journal when it ends. */
export interface DrillReport {
  scenario: string;
  /** `finished`: the scenario reached its last point; `stopped`: the user stopped it first. */
  outcome: 'finished' | 'stopped';
  startedAt: number;
  endedAt: number;
  equityBefore: number | null;
  equityAfter: number | null;
  events: DrillReportEvent[];
  /** Positions the exchange liquidated during the drill. */
  liquidationsSuffered: number;
  /** Positions open at the start whose liquidation price the drill's mark crossed, but which were closed before. */
  liquidationsAvoided: number;
}

/** The drill state the cockpit shows: a banner while one runs, its report once it ends. */
export interface DrillState {
  status: 'idle' | 'running' | 'finished';
  scenario: { id: string; name: string } | null;
  startedAt: number | null;
  /** When the scenario reaches its last point (the engine's clock). */
  endsAt: number | null;
  /** The latest drill's report (also kept while idle, until the next drill starts). */
  report: DrillReport | null;
}

/** What `drill.list` answers. */
export interface DrillCatalog {
  /** Why no drill can run here (live mode); null in paper mode. */
  unavailable: string | null;
  scenarios: DrillScenarioInfo[];
  state: DrillState;
}

export const IDLE_DRILL: DrillState = { status: 'idle', scenario: null, startedAt: null, endsAt: null, report: null };
