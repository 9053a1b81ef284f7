import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import type { Strategy, StrategyContext, StrategyDecision } from './strategy';

/** What the runner knows of a strategy without running its code. */
export type StrategyProfile = Pick<Strategy, 'id' | 'label' | 'timeframe' | 'warmup' | 'riskPerTrade'>;

/**
 * Where one strategy's code runs: it holds the strategy's state for every
 * symbol and feeds it one closed candle at a time. The caller hands in copies
 * and waits for each evaluation before sending the next candle of that symbol.
 */
export interface StrategyEvaluator {
  readonly profile: StrategyProfile;
  /**
   * Feeds one closed candle to the strategy's state for `symbol`. Resolves with
   * its decision (a copy: an entry or an exit signal) or null; rejects with what the strategy threw, or when
   * the evaluation is still pending after the evaluator's timeout.
   */
  evaluate(symbol: string, candle: Candle, context: StrategyContext): Promise<StrategyDecision | null>;
  /** Frees the evaluator for good; evaluations still pending reject. */
  close(): void;
}

/** Makes the evaluator of one configured strategy; an evaluation pending longer than `timeoutMs` fails. */
export type StrategyEvaluatorFactory = (settings: StrategySettings, timeoutMs: number) => StrategyEvaluator;

export function profileOf(strategy: Strategy): StrategyProfile {
  return {
    id: strategy.id,
    label: strategy.label,
    timeframe: strategy.timeframe,
    warmup: strategy.warmup,
    ...(strategy.riskPerTrade !== undefined ? { riskPerTrade: strategy.riskPerTrade } : {}),
  };
}

/** The error of an evaluation that outlived its timeout; `outcome` says what became of it. */
export function evaluationTimeout(timeoutMs: number, outcome: string): Error {
  return new Error(`evaluation took longer than ${timeoutMs} ms and was ${outcome}`);
}
