import { describe, expect, it } from 'vitest';
import type { Candle, StrategyStatus, Timeframe } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type StrategySettings } from '../../../shared/settings';
import type { Signal, Strategy, SymbolStrategy } from './strategy';
import { StrategyRunner } from './strategy-runner';

const base = DEFAULT_SETTINGS.strategies[0]!;
const bar = (i: number, close = 100): Candle => ({ time: i * 60_000, open: close, high: close, low: close, close, volume: 1 });
const signalFor = (symbol: string, candle: Candle): Signal => ({ symbol, side: 'long', entry: candle.close, stop: candle.close * 0.97, takeProfit: candle.close * 1.06, reason: `bar ${candle.time}` });

/** A strategy made of one function per symbol, for exercising the runner. */
function scripted(id: StrategySettings['id'], warmup: number, onCandle: (symbol: string, candle: Candle) => ReturnType<SymbolStrategy['onCandle']>): (s: StrategySettings) => Strategy {
  return (settings) => ({
    id,
    label: id,
    timeframe: settings.timeframe,
    warmup,
    forSymbol: (symbol) => ({ onCandle: (candle) => onCandle(symbol, candle) }),
  });
}

function runner(build: (s: StrategySettings) => Strategy, settings: StrategySettings[] = [{ ...base }]) {
  const signals: Array<{ id: string; signal: Signal; timeframe: Timeframe }> = [];
  let statuses: StrategyStatus[] = [];
  const r = new StrategyRunner({
    context: () => ({ equity: 10_000, drawdownPct: 0, maxLeverage: 5 }),
    onSignal: (id, signal, timeframe) => signals.push({ id, signal, timeframe }),
    onStatus: (s) => (statuses = s),
    build,
  });
  r.configure(settings);
  return { r, signals, statuses: () => statuses };
}

describe('the strategy runner', () => {
  it('passes each closed candle to the strategy and its signals on', async () => {
    const { r, signals } = runner(scripted('trend-pullback', 0, (symbol, c) => signalFor(symbol, c)));
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(1));
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(2));
    await r.idle();
    expect(signals.map((s) => [s.id, s.signal.reason, s.timeframe])).toEqual([
      ['trend-pullback', 'bar 60000', '1m'],
      ['trend-pullback', 'bar 120000', '1m'],
    ]);
  });

  it('ignores signals during warm-up and from history, but feeds both to the indicators', async () => {
    const seen: number[] = [];
    const { r, signals } = runner(scripted('trend-pullback', 3, (symbol, c) => (seen.push(c.time), signalFor(symbol, c))));
    r.warm('BTC/USDT:USDT', '1m', [bar(1), bar(2)]);
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(3));
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(4));
    await r.idle();
    expect(seen).toEqual([60_000, 120_000, 180_000, 240_000]);
    expect(signals.map((s) => s.signal.reason)).toEqual(['bar 240000']);
  });

  it('hands the strategy copies, so it cannot change the engine’s candles', async () => {
    const { r } = runner(scripted('trend-pullback', 0, (_s, c) => ((c.close = -1), null)));
    const candle = bar(1);
    r.onClosedCandle('BTC/USDT:USDT', '1m', candle);
    await r.idle();
    expect(candle.close).toBe(100);
  });

  it('turns a throwing strategy into a strategy error, and keeps running', async () => {
    const { r, signals, statuses } = runner(
      scripted('trend-pullback', 0, (symbol, c) => {
        if (c.time === 60_000) throw new Error('division by zero');
        return signalFor(symbol, c);
      }),
    );
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(1));
    await r.idle();
    expect(statuses()[0]).toMatchObject({ id: 'trend-pullback', lastError: 'BTC/USDT:USDT: division by zero', running: true });
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(2));
    await r.idle();
    expect(signals).toHaveLength(1);
    expect(statuses()[0]!.lastError).toBeNull();
  });

  it('reports a malformed signal as a strategy error instead of passing it on', async () => {
    const { r, signals, statuses } = runner(scripted('trend-pullback', 0, (symbol) => ({ symbol, side: 'long', entry: 100, stop: Number.NaN, takeProfit: 110, reason: 'x' })));
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(1));
    await r.idle();
    expect(signals).toEqual([]);
    expect(statuses()[0]!.lastError).toMatch(/stop must be a price above zero/);
  });

  it('never lets a stuck strategy hold up other symbols or other strategies', async () => {
    const slow = scripted('trend-pullback', 0, (symbol, c) => (symbol === 'BTC/USDT:USDT' ? new Promise<Signal | null>(() => {}) : signalFor(symbol, c)));
    const quick = scripted('adaptive-leverage', 0, (symbol, c) => signalFor(symbol, c));
    const { r, signals } = runner((s) => (s.id === 'trend-pullback' ? slow(s) : quick(s)), [{ ...base }, { ...base, id: 'adaptive-leverage', enabled: true }]);
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(1));
    r.onClosedCandle('ETH/USDT:USDT', '1m', bar(1));
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(2));
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(signals.map((s) => `${s.id} ${s.signal.symbol} ${s.signal.reason}`).sort()).toEqual([
      'adaptive-leverage BTC/USDT:USDT bar 120000',
      'adaptive-leverage BTC/USDT:USDT bar 60000',
      'adaptive-leverage ETH/USDT:USDT bar 60000',
      'trend-pullback ETH/USDT:USDT bar 60000',
    ]);
  });

  it('stops signals when halted and when disabled, and reports it', async () => {
    const { r, signals, statuses } = runner(scripted('trend-pullback', 0, (symbol, c) => signalFor(symbol, c)));
    r.halt('flatten');
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(1));
    await r.idle();
    expect(signals).toEqual([]);
    expect(statuses()[0]).toMatchObject({ running: false, haltedReason: 'flatten', lastError: null });
    r.resume();
    r.configure([{ ...base, enabled: false }]);
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(2));
    await r.idle();
    expect(signals).toEqual([]);
    expect(statuses()[0]).toMatchObject({ enabled: false, running: false });
  });

  it('runs only the strategies of the candle’s timeframe', async () => {
    const { r, signals } = runner(scripted('trend-pullback', 0, (symbol, c) => signalFor(symbol, c)), [{ ...base, timeframe: '5m' }]);
    r.onClosedCandle('BTC/USDT:USDT', '1m', bar(1));
    r.onClosedCandle('BTC/USDT:USDT', '5m', bar(5));
    await r.idle();
    expect(signals.map((s) => s.timeframe)).toEqual(['5m']);
    expect(r.timeframes()).toEqual(['5m']);
  });
});
