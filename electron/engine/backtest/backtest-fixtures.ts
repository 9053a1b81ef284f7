import { expect } from 'vitest';
import { TIMEFRAME_MS, type Timeframe } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings';
import type { SlippageModel } from '../sim/types';
import type { Strategy, StrategyDecision } from '../strategy/strategy';
import { runBacktest } from './backtest';
import { allocateSeries, validateSeries } from './candle-series';
import { netResult } from './summary';
import type { BacktestOptions, BacktestResult, CandleSeries, MarkSeries } from './types';

export const BTC = 'BTC/USDT:USDT';
/** 2024-01-01T00:00Z: where fixture bars start unless told otherwise. */
export const T0 = Date.UTC(2024, 0, 1);
export const NO_SLIPPAGE: SlippageModel = { halfSpread: 0, impact: 0, cap: 0 };

/** Bars from `[open, high, low, close]` rows, one per timeframe from `start`, volume 1 000. */
export function bars(rows: readonly (readonly [number, number, number, number])[], options: { start?: number; timeframe?: Timeframe; symbol?: string } = {}): CandleSeries {
  const timeframe = options.timeframe ?? '1m';
  const start = options.start ?? T0;
  const series = allocateSeries(options.symbol ?? BTC, timeframe, 'fixture bars', rows.length);
  rows.forEach(([open, high, low, close], i) => {
    series.time[i] = start + i * TIMEFRAME_MS[timeframe];
    series.open[i] = open;
    series.high[i] = high;
    series.low[i] = low;
    series.close[i] = close;
    series.volume[i] = 1_000;
  });
  return validateSeries(series);
}

/** `count` flat bars at `price`. */
export const flat = (price: number, count: number): [number, number, number, number][] => Array.from({ length: count }, () => [price, price, price, price]);

/** Mark candles equal to the bars' own opens and closes: the mark is the last price (no premium). */
export function markOf(series: CandleSeries): MarkSeries {
  return { source: 'fixture marks', intervalMs: TIMEFRAME_MS[series.timeframe], time: series.time.slice(), open: series.open.slice(), close: series.close.slice() };
}

/** A strategy on 1m bars with no warm-up that answers each bar with `decide(time, close)`. */
export function scripted(decide: (time: number, close: number, symbol: string) => StrategyDecision | null, timeframe: Timeframe = '1m'): Strategy {
  return {
    id: 'scripted',
    label: 'scripted',
    timeframe,
    warmup: 0,
    forSymbol: (symbol) => ({ onCandle: (candle) => decide(candle.time, candle.close, symbol) }),
  };
}

/** A long at the bar's close, at 5x, with its stop and take-profit `stopPct` and `takeProfitPct` away. */
export const longAt = (symbol: string, close: number, stopPct = 2, takeProfitPct = 4): StrategyDecision => ({
  symbol,
  side: 'long',
  entry: close,
  stop: close * (1 - stopPct / 100),
  takeProfit: close * (1 + takeProfitPct / 100),
  leverage: 5,
  reason: 'fixture long',
});

export function settingsWith(patch: { risk?: Partial<Settings['risk']>; breakers?: Partial<Settings['breakers']> } = {}): Settings {
  return { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, ...patch.risk }, breakers: { ...DEFAULT_SETTINGS.breakers, ...patch.breakers } };
}

/** Final equity = balance + Σ pnl − Σ fees + Σ funding, to a millionth of a USDT. */
export function expectAccounting(result: BacktestResult, balance: number): void {
  const sum = result.trades.reduce((a, t) => a + netResult(t), 0);
  expect(Math.abs(result.summary.finalEquity - (balance + sum)), 'final equity = balance + Σ pnl − Σ fees + Σ funding').toBeLessThan(1e-6);
  expect(result.summary.fees).toBeCloseTo(result.trades.reduce((a, t) => a + t.fees, 0), 9);
}

/** Runs a backtest with fixture defaults (10 000 USDT, no slippage, default settings) and checks its accounting. */
export function backtest(options: Partial<BacktestOptions> & Pick<BacktestOptions, 'strategy' | 'data'>): BacktestResult {
  const balance = options.balance ?? 10_000;
  const result = runBacktest({ settings: DEFAULT_SETTINGS, slippage: NO_SLIPPAGE, ...options, balance });
  expectAccounting(result, balance);
  return result;
}
