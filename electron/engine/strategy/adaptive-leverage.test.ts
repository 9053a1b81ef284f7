import { ADX, ATR, SMA } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type StrategySettings } from '../../../shared/settings';
import { bar, zigZagClimb } from '../testing/pullback-bars';
import { ADAPTIVE_RISK_PER_TRADE, adaptiveEntry, adaptiveLeverageStrategy, VOLATILITY_WINDOW } from './adaptive-leverage';
import { realisedVolatility } from './realised-volatility';
import type { Signal, StrategyContext } from './strategy';

const guide: StrategySettings = DEFAULT_SETTINGS.strategies.find((s) => s.id === 'adaptive-leverage')!;
/** A volatility threshold no 1m series here reaches, so only trend and drawdown move leverage. */
const calm: StrategySettings = { ...guide, volatilityThreshold: 20 };
const context: StrategyContext = { equity: 10_000, drawdownPct: 0, maxLeverage: 5 };

const climb = zigZagClimb;

/** The climb upside down: a steady fall, as strong a trend (ADX near 50) with price below its SMA50. */
function fall(bars = 80): Candle[] {
  let price = 100;
  return Array.from({ length: bars }, (_, i) => bar(i, (price *= i % 2 ? 1.004 : 0.988)));
}

/** A seeded random walk through rises, falls and chop, so every combination of the entry gate's two conditions occurs. */
function walk(bars = 600, seed = 7): Candle[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  let price = 100;
  return Array.from({ length: bars }, (_, i) => {
    const drift = [0.002, 0, -0.002, 0.0008, 0][Math.floor(i / 60) % 5]!;
    price *= 1 + drift + (random() - 0.5) * 0.012;
    return bar(i, price, 0.002 + random() * 0.004);
  });
}

function run(settings: StrategySettings, bars: Candle[], ctx: StrategyContext = context): Array<{ index: number; signal: Signal }> {
  const strategy = adaptiveLeverageStrategy(settings).forSymbol('BTC/USDT:USDT');
  const out: Array<{ index: number; signal: Signal }> = [];
  bars.forEach((candle, index) => {
    const signal = strategy.onCandle(candle, ctx) as Signal | null;
    if (signal) out.push({ index, signal });
  });
  return out;
}

/** The guide's indicators, computed here bar by bar from trading-signals: SMA50, ADX14, ATR20. */
function readings(bars: Candle[]): Array<{ sma: number | null; adx: number | null; atr: number | null }> {
  const sma = new SMA(50);
  const adx = new ADX(14);
  const atr = new ATR(20);
  return bars.map((c) => {
    sma.add(c.close);
    adx.add(c);
    atr.add(c);
    return { sma: sma.getResult(), adx: adx.getResult(), atr: atr.getResult() };
  });
}

const lastSignal = (settings: StrategySettings, bars: Candle[], ctx: StrategyContext = context): Signal => {
  const signals = run(settings, bars, ctx);
  expect(signals.length, 'the series produces an entry').toBeGreaterThan(0);
  return signals.at(-1)!.signal;
};

describe('the adaptive-leverage entry gate (guide: long only, close above SMA50 and ADX(14) above 20)', () => {
  it('opens only on a close above the SMA with ADX strictly above 20', () => {
    expect(adaptiveEntry({ close: 101, sma: 100, adx: 20.01 })).toBe(true);
    expect(adaptiveEntry({ close: 101, sma: 100, adx: 20 })).toBe(false);
    expect(adaptiveEntry({ close: 100, sma: 100, adx: 40 })).toBe(false);
    expect(adaptiveEntry({ close: 99, sma: 100, adx: 40 })).toBe(false);
  });

  it('warms up on the slowest of SMA50, ADX14, ATR20 and the volatility window', () => {
    expect(adaptiveLeverageStrategy(guide).warmup).toBe(Math.max(50, new ADX(14).getRequiredInputs(), 20, VOLATILITY_WINDOW + 1));
  });

  it('on a random walk, enters on exactly the bars where the close is above SMA50 and ADX14 above 20', () => {
    const bars = walk();
    const expected = readings(bars);
    const entered = new Set(run(calm, bars).map((s) => s.index));
    const warm = adaptiveLeverageStrategy(calm).warmup - 1;
    let belowSma = 0;
    let weakTrend = 0;
    bars.forEach((candle, i) => {
      if (i < warm) return expect(entered.has(i), `bar ${i} is still warming up`).toBe(false);
      const { sma, adx } = expected[i]!;
      const above = candle.close > sma!;
      const trending = adx! > 20;
      if (!above && trending) belowSma += 1;
      if (above && !trending) weakTrend += 1;
      expect(entered.has(i), `bar ${i}: close ${candle.close} vs SMA50 ${sma}, ADX ${adx}`).toBe(above && trending);
    });
    expect(entered.size, 'the walk has entries').toBeGreaterThan(10);
    expect(belowSma, 'bars below SMA50 with a trend, where nothing may enter').toBeGreaterThan(10);
    expect(weakTrend, 'bars above SMA50 with ADX at or under 20, where nothing may enter').toBeGreaterThan(10);
  });

  it('never goes short: a strong fall below SMA50 gives no entry, and every entry of the walk is long', () => {
    const strongFall = readings(fall()).at(-1)!;
    expect(strongFall.adx).toBeGreaterThan(40);
    expect(run(calm, fall())).toEqual([]);
    expect(run(calm, walk()).every(({ signal }) => signal.side === 'long')).toBe(true);
  });
});

describe('the adaptive-leverage stop and take-profit', () => {
  it('puts the stop ATR(20) × 1.5 below entry and the take-profit at the configured 2:1', () => {
    const bars = climb();
    const { index, signal } = run(calm, bars).at(-1)!;
    const atr = readings(bars)[index]!.atr!;
    expect(signal.entry).toBe(bars[index]!.close);
    expect(signal.entry - signal.stop).toBeCloseTo(1.5 * atr, 9);
    expect(signal.takeProfit - signal.entry).toBeCloseTo(2 * 1.5 * atr, 9);
  });

  it('follows the configured multiplier and reward:risk', () => {
    const bars = climb();
    const { index, signal } = run({ ...calm, atrMultiplier: 2, rewardRisk: 3 }, bars).at(-1)!;
    const atr = readings(bars)[index]!.atr!;
    expect(signal.entry - signal.stop).toBeCloseTo(2 * atr, 9);
    expect(signal.takeProfit - signal.entry).toBeCloseTo(3 * 2 * atr, 9);
  });
});

describe('the adaptive leverage (base 2 × volatility × trend × drawdown factors, within 1× and the caps)', () => {
  it('earns the trend factor 1.2 in a strong trend (ADX above 25) in calm markets: 2.4x', () => {
    expect(readings(climb()).at(-1)!.adx).toBeGreaterThan(25);
    const signal = lastSignal(calm, climb());
    expect(signal.leverage).toBeCloseTo(2.4, 9);
    expect(signal.reason).toContain('leverage 2.40x computed, 2x applied');
  });

  it('stays at the base 2x in a moderate trend (ADX above 20, at most 25)', () => {
    const bars = walk();
    const expected = readings(bars);
    const moderate = run(calm, bars).filter(({ index }) => expected[index]!.adx! <= 25);
    expect(moderate.length, 'the walk has entries in a moderate trend').toBeGreaterThan(0);
    for (const { signal } of moderate) expect(signal.leverage).toBe(2);
  });

  it('cuts leverage by the volatility above its threshold', () => {
    const bars = climb();
    const vol = realisedVolatility(bars.slice(-(VOLATILITY_WINDOW + 1)).map((b) => b.close), '1m');
    const signal = lastSignal({ ...calm, volatilityThreshold: vol - 0.25 }, bars);
    expect(signal.leverage).toBeCloseTo(2 * 0.75 * 1.2, 9);
    expect(lastSignal({ ...calm, volatilityThreshold: 0.8 }, bars).leverage, 'never below half').toBeCloseTo(2 * 0.5 * 1.2, 9);
  });

  it('trims leverage past a 5% drawdown and halves it past 10%', () => {
    expect(lastSignal(calm, climb(), { ...context, drawdownPct: 6 }).leverage).toBeCloseTo(2 * 1.2 * 0.8, 9);
    expect(lastSignal(calm, climb(), { ...context, drawdownPct: 12 }).leverage).toBeCloseTo(2 * 1.2 * 0.5, 9);
  });

  it('is clamped to the strategy cap, to the user maximum, and never below 1x', () => {
    expect(lastSignal({ ...calm, leverageCap: 2 }, climb()).leverage).toBe(2);
    expect(lastSignal(calm, climb(), { ...context, maxLeverage: 1.5 }).leverage).toBe(1.5);
    expect(lastSignal({ ...guide, baseLeverage: 1 }, climb(), { ...context, drawdownPct: 12 }).leverage).toBe(1);
  });
});

describe('the adaptive-leverage risk per trade', () => {
  it('declares the guide’s 1.5% unless its settings name another figure', () => {
    expect(ADAPTIVE_RISK_PER_TRADE).toBe(0.015);
    expect(adaptiveLeverageStrategy(guide).riskPerTrade).toBe(0.015);
    expect(adaptiveLeverageStrategy({ ...guide, riskPerTrade: 0.005 }).riskPerTrade).toBe(0.005);
  });
});
