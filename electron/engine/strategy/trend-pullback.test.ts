import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type StrategySettings } from '../../../shared/settings';
import { upTrendWithDip } from '../testing/pullback-bars';
import { pullbackSide } from './pullback-rule';
import { realisedVolatility } from './realised-volatility';
import type { Signal, Strategy, StrategyContext } from './strategy';
import { stopPrice, takeProfitPrice } from './trade-levels';
import { trendPullback } from './trend-pullback';

const trendSettings: StrategySettings = DEFAULT_SETTINGS.strategies.find((s) => s.id === 'trend-pullback')!;
const context: StrategyContext = { equity: 10_000, drawdownPct: 0, maxLeverage: 5 };

const mirror = (bars: Candle[]): Candle[] => bars.map((b) => ({ ...b, open: 200 - b.open, high: 200 - b.low, low: 200 - b.high, close: 200 - b.close }));

function run(strategy: Strategy, bars: Candle[]): Array<{ index: number; signal: Signal }> {
  const symbol = strategy.forSymbol('BTC/USDT:USDT');
  const out: Array<{ index: number; signal: Signal }> = [];
  bars.forEach((b, index) => {
    const signal = symbol.onCandle(b, context) as Signal | null;
    if (signal) out.push({ index, signal });
  });
  return out;
}

describe('the trend-pullback rule', () => {
  const rule = { rsiLongBelow: 35, rsiShortAbove: 65 };

  it('goes long when SMA10 is above SMA30 and RSI14 is below 35', () => {
    expect(pullbackSide({ smaFast: 101, smaSlow: 100, rsi: 34.9 }, rule)).toBe('long');
  });

  it('goes short when SMA10 is below SMA30 and RSI14 is above 65', () => {
    expect(pullbackSide({ smaFast: 99, smaSlow: 100, rsi: 65.1 }, rule)).toBe('short');
  });

  it('stays out against the trend or without a pullback', () => {
    expect(pullbackSide({ smaFast: 101, smaSlow: 100, rsi: 35 }, rule)).toBeNull();
    expect(pullbackSide({ smaFast: 99, smaSlow: 100, rsi: 20 }, rule)).toBeNull();
    expect(pullbackSide({ smaFast: 101, smaSlow: 100, rsi: 80 }, rule)).toBeNull();
    expect(pullbackSide({ smaFast: 100, smaSlow: 100, rsi: 20 }, rule)).toBeNull();
  });
});

describe('stop and take-profit levels', () => {
  it('puts a 3% stop below a long entry and the take-profit at 2:1', () => {
    const stop = stopPrice('long', 100, { mode: 'percent', pct: 3 });
    expect(stop).toBeCloseTo(97, 12);
    expect(takeProfitPrice('long', 100, stop, 2)).toBeCloseTo(106, 12);
  });

  it('puts a 1.5 ATR stop above a short entry', () => {
    const stop = stopPrice('short', 100, { mode: 'atr', atr: 2, multiplier: 1.5 });
    expect(stop).toBe(103);
    expect(takeProfitPrice('short', 100, stop, 2)).toBe(94);
  });

  it('refuses a stop distance that is zero or would cross zero', () => {
    expect(() => stopPrice('long', 100, { mode: 'atr', atr: 0, multiplier: 1.5 })).toThrow(/not usable/);
    expect(() => stopPrice('long', 100, { mode: 'percent', pct: 100 })).toThrow(/not usable/);
  });
});

describe('the trend-pullback strategy', () => {
  it('needs the slow SMA to warm up before it can signal', () => {
    expect(trendPullback(trendSettings).warmup).toBe(30);
  });

  it('signals a long on the dip of an up-trend, with a 3% stop and a 2:1 take-profit', () => {
    const bars = upTrendWithDip();
    const signals = run(trendPullback(trendSettings), bars);
    expect(signals.length).toBeGreaterThan(0);
    const { index, signal } = signals[0]!;
    expect(index).toBe(62);
    const entry = bars[index]!.close;
    expect(signal).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'long', entry, leverage: 2 });
    expect(signal.stop).toBeCloseTo(entry * 0.97, 9);
    expect(signal.takeProfit).toBeCloseTo(entry + 2 * (entry - signal.stop), 9);
    expect(signal.reason).toMatch(/SMA10 .* above SMA30 .*RSI14/);
  });

  it('signals nothing while the trend runs without a pullback', () => {
    expect(run(trendPullback(trendSettings), upTrendWithDip().slice(0, 60))).toEqual([]);
  });

  it('signals a short on the rally of a down-trend', () => {
    const signals = run(trendPullback(trendSettings), mirror(upTrendWithDip()));
    expect(signals[0]?.signal.side).toBe('short');
    const { signal } = signals[0]!;
    expect(signal.stop).toBeCloseTo(signal.entry * 1.03, 9);
    expect(signal.takeProfit).toBeLessThan(signal.entry);
  });

  it('uses 1.5 x ATR for the stop in ATR mode', () => {
    const bars = upTrendWithDip();
    const signals = run(trendPullback({ ...trendSettings, stopMode: 'atr' }), bars);
    const { signal } = signals[0]!;
    const distance = signal.entry - signal.stop;
    expect(distance).toBeGreaterThan(0);
    expect(distance).not.toBeCloseTo(signal.entry * 0.03, 6);
    expect(signal.takeProfit - signal.entry).toBeCloseTo(2 * distance, 9);
  });

  it('risks the global risk per trade unless its settings name its own', () => {
    expect(trendPullback(trendSettings).riskPerTrade).toBeUndefined();
    expect(trendPullback({ ...trendSettings, riskPerTrade: 0.005 }).riskPerTrade).toBe(0.005);
  });

  it('keeps each symbol apart', () => {
    const strategy = trendPullback(trendSettings);
    const a = strategy.forSymbol('A/USDT:USDT');
    const b = strategy.forSymbol('B/USDT:USDT');
    const bars = upTrendWithDip();
    bars.slice(0, 60).forEach((c) => a.onCandle(c, context));
    const fromB = bars.map((c) => b.onCandle(c, context)).filter(Boolean);
    expect(fromB.length).toBeGreaterThan(0);
  });
});

describe('realised volatility', () => {
  it('is zero for a constant growth rate and annualised by the bar length', () => {
    const steady = Array.from({ length: 10 }, (_, i) => 100 * 1.01 ** i);
    expect(realisedVolatility(steady, '1m')).toBeCloseTo(0, 9);
    const zigzag = [100, 101, 100, 101, 100];
    const perBar = Math.log(1.01);
    expect(realisedVolatility(zigzag, '1h')).toBeCloseTo(perBar * Math.sqrt(365 * 24), 6);
  });

  it('refuses too few closes', () => {
    expect(() => realisedVolatility([1, 2], '1m')).toThrow(/at least 3/);
  });
});
