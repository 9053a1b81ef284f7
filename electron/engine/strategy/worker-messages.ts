import type { Candle, StrategyParamSpec, Timeframe } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import type { StrategyContext, StrategyDecision } from './strategy';

/** A module export that builds strategies, as a worker can load it: `(settings) => Strategy`. */
export interface BuilderModule {
  /** A file URL (or path) the worker can import. */
  module: string;
  exportName: string;
}

/** A strategy file's transpiled module, the id it runs under, and its parameter values. */
export interface FileStrategyData {
  id: string;
  /** The file URL of the transpiled module. */
  module: string;
  params: Record<string, number>;
}

/**
 * What a strategy worker starts with: a built-in's settings and where its builder lives (the built-in
 * catalogue when null), or a strategy file (`probe`: only read what it declares, post it, and end).
 */
export type StrategyWorkerData = { settings: StrategySettings; builder: BuilderModule | null } | { file: FileStrategyData; probe?: boolean };

/** What a probe of a strategy file found: what the runner needs without running it, and its parameters. */
export interface StrategyFileProbe {
  label: string;
  timeframe: Timeframe;
  warmup: number;
  params: StrategyParamSpec[];
}

/** One closed candle for the strategy's state of `symbol`. Id 0 marks a candle replayed to re-warm a fresh worker. */
export interface EvaluationRequest {
  id: number;
  symbol: string;
  candle: Candle;
  context: StrategyContext;
}

/** The outcome of one request: the signal (or null), or what the strategy threw, as text. */
export type EvaluationReply = { id: number; ok: true; signal: StrategyDecision | null } | { id: number; ok: false; error: string };

/** What a strategy worker posts: `ready` once its strategy is built, then one reply per request. */
export type WorkerMessage = { ready: true } | { probe: StrategyFileProbe } | EvaluationReply;
