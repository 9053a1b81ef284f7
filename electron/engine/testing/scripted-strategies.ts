import type { Candle } from '../../../shared/domain';
import type { StrategySettings } from '../../../shared/settings';
import type { Signal, Strategy, SymbolStrategy } from '../strategy/strategy';
import type { WorkerStrategySource } from '../strategy/worker-evaluator';

/**
 * Strategies scripted for tests. Each is an exported builder, so it runs on
 * the test's own thread (`build: echo`) or in a strategy worker, which imports
 * it from this module (`workerEvaluators(inWorker(echo))`).
 */
type Builder = (settings: StrategySettings) => Strategy;

/** A bar closing at this price sends `spinsOnItsBar` into an endless busy loop. */
export const SPIN_CLOSE = 61_234;
/** A bar closing at this price makes `killsItsWorker` end its worker thread. */
export const EXIT_CLOSE = 4_040;

/** Where a strategy worker finds `build`: this module, under the builder's own name. */
export function inWorker(build: Builder): WorkerStrategySource {
  return { module: import.meta.url, exportName: build.name, build };
}

/** A long at the bar's close with a 3% stop and 2:1 take-profit, whose reason names the bar and how many bars the strategy has seen for its symbol. */
export function signalFor(symbol: string, candle: Candle, seen: number): Signal {
  return { symbol, side: 'long', entry: candle.close, stop: candle.close * 0.97, takeProfit: candle.close * 1.06, reason: `bar ${candle.time} (${seen} seen)` };
}

function spinForever(): never {
  while (true) {}
}

function scripted(settings: StrategySettings, warmup: number, onCandle: (symbol: string, candle: Candle, seen: number) => ReturnType<SymbolStrategy['onCandle']>): Strategy {
  return {
    id: settings.id,
    label: `scripted ${settings.id}`,
    timeframe: settings.timeframe,
    warmup,
    forSymbol: (symbol) => {
      let seen = 0;
      return { onCandle: (candle) => onCandle(symbol, candle, ++seen) };
    },
  };
}

/** Signals on every bar. */
export function echo(settings: StrategySettings): Strategy {
  return scripted(settings, 0, signalFor);
}

/** Signals on every bar, but needs three bars of warm-up. */
export function echoAfterWarmupOf3(settings: StrategySettings): Strategy {
  return scripted(settings, 3, signalFor);
}

/** Writes into the candle it is given, then stays out. */
export function mutatesItsCandle(settings: StrategySettings): Strategy {
  return scripted(settings, 0, (_symbol, candle) => ((candle.close = -1), null));
}

/** Throws on the bar at 60 000 ms, signals on the others. */
export function throwsOnFirstBar(settings: StrategySettings): Strategy {
  return scripted(settings, 0, (symbol, candle, seen) => {
    if (candle.time === 60_000) throw new Error('division by zero');
    return signalFor(symbol, candle, seen);
  });
}

/** Signals with a stop that is not a number. */
export function malformedStop(settings: StrategySettings): Strategy {
  return scripted(settings, 0, (symbol) => ({ symbol, side: 'long', entry: 100, stop: Number.NaN, takeProfit: 110, reason: 'x' }));
}

/** As trend-pullback, never settles on a BTC bar and echoes the rest; as anything else, echoes. */
export function stuckOnBtc(settings: StrategySettings): Strategy {
  if (settings.id !== 'trend-pullback') return echo(settings);
  return scripted(settings, 0, (symbol, candle, seen) => (symbol === 'BTC/USDT:USDT' ? new Promise<Signal | null>(() => {}) : signalFor(symbol, candle, seen)));
}

/** Busy forever (`while (true) {}`) on a bar closing at SPIN_CLOSE; echoes the others. */
export function spinsOnItsBar(settings: StrategySettings): Strategy {
  return scripted(settings, 0, (symbol, candle, seen) => {
    if (candle.close === SPIN_CLOSE) spinForever();
    return signalFor(symbol, candle, seen);
  });
}

/** Ends its worker thread on a bar closing at EXIT_CLOSE; echoes the others. Worker only: on a test's thread it would end the test run. */
export function killsItsWorker(settings: StrategySettings): Strategy {
  return scripted(settings, 0, (symbol, candle, seen) => {
    if (candle.close === EXIT_CLOSE) process.exit(3);
    return signalFor(symbol, candle, seen);
  });
}

/** The engine's two strategies gone different ways: trend-pullback spins forever on a SPIN_CLOSE bar (and stays out otherwise), adaptive-leverage signals on every ETH bar. */
export function spinningTrendEagerAdaptive(settings: StrategySettings): Strategy {
  if (settings.id === 'trend-pullback') return scripted(settings, 0, (_symbol, candle) => (candle.close === SPIN_CLOSE ? spinForever() : null));
  return scripted(settings, 0, (symbol, candle, seen) => (symbol === 'ETH/USDT:USDT' ? { ...signalFor(symbol, candle, seen), leverage: 5 } : null));
}
