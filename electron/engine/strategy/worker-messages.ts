import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import type { StrategyContext, StrategyDecision } from './strategy';

/** A module export that builds strategies, as a worker can load it: `(settings) => Strategy`. */
export interface BuilderModule {
  /** A file URL (or path) the worker can import. */
  module: string;
  exportName: string;
}

/** What a strategy worker starts with: the strategy's settings, and where its builder lives (the built-in catalogue when null). */
export interface StrategyWorkerData {
  settings: StrategySettings;
  builder: BuilderModule | null;
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
export type WorkerMessage = { ready: true } | EvaluationReply;
