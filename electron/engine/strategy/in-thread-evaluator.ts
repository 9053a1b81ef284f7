import type { StrategySettings } from '../../../shared/settings';
import type { Strategy, StrategyDecision, SymbolStrategy } from './strategy';
import { evaluationTimeout, profileOf, type StrategyEvaluatorFactory } from './strategy-evaluator';

/**
 * Runs strategies on the calling thread (tests that build strategies from
 * closures). A never-settling promise is abandoned after the timeout, but a
 * strategy that is synchronously busy blocks the thread: the engine runs its
 * strategies in workers instead (`workerEvaluators`).
 */
export function inThreadEvaluators(build: (settings: StrategySettings) => Strategy): StrategyEvaluatorFactory {
  return (settings, timeoutMs) => {
    const strategy = build(settings);
    const states = new Map<string, SymbolStrategy>();
    const stateFor = (symbol: string): SymbolStrategy => {
      let state = states.get(symbol);
      if (!state) states.set(symbol, (state = strategy.forSymbol(symbol)));
      return state;
    };
    return {
      profile: profileOf(strategy),
      async evaluate(symbol, candle, context) {
        const result = stateFor(symbol).onCandle(candle, context);
        const signal = result instanceof Promise ? await settleWithin(result, timeoutMs) : result;
        return signal ? structuredClone(signal) : null;
      },
      close() {},
    };
  };
}

async function settleWithin(result: Promise<StrategyDecision | null>, timeoutMs: number): Promise<StrategyDecision | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(evaluationTimeout(timeoutMs, 'abandoned')), timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
