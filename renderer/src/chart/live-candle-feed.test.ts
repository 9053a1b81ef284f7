import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CockpitApi, EngineEvents } from '../../../shared/contract';
import type { Candle, Timeframe } from '../../../shared/domain';
import { ok } from '../../../shared/result';
import type { CockpitChart } from './create-cockpit-chart';
import { followLiveCandles, type HistoryState } from './live-candle-feed';

const BTC = 'BTC/USDT:USDT';
const MINUTE = 60_000;
const bar = (time: number, close: number): Candle => ({ time, open: 100, high: Math.max(100, close), low: Math.min(100, close), close, volume: 1 });

/** A chart whose two series count how they are fed. */
function countingChart() {
  const series = () => ({ setData: vi.fn(), update: vi.fn() });
  const candles = series();
  const volume = series();
  const chart = {
    candles,
    volume,
    chart: { chartElement: () => ({ parentElement: { dataset: {} } }), timeScale: () => ({ scrollToRealTime: vi.fn() }) },
  } as unknown as CockpitChart;
  return { chart, candles, volume };
}

/** An engine that serves `history` for the chart and lets the test push candle events. */
function engineWith(history: Candle[]) {
  const listeners = new Set<(payload: EngineEvents['candle']) => void>();
  let answer: () => void = () => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  const api = {
    invoke: vi.fn(async () => {
      await answered;
      return ok(history);
    }),
    on: (event: string, handler: (payload: EngineEvents['candle']) => void) => {
      if (event === 'candle') listeners.add(handler);
      return () => listeners.delete(handler);
    },
  } as unknown as CockpitApi;
  const tick = (timeframe: Timeframe, candle: Candle) => listeners.forEach((l) => l({ symbol: BTC, timeframe, candle, closed: false }));
  return { api, tick, answer, listeners };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => vi.stubGlobal('window', {}));
afterEach(() => vi.unstubAllGlobals());

describe('the live candle feed', () => {
  it('sets the history once, then draws every tick with series.update, never with setData', async () => {
    const history = [bar(0, 100), bar(MINUTE, 101), bar(2 * MINUTE, 102)];
    const { chart, candles, volume } = countingChart();
    const engine = engineWith(history);
    const states: HistoryState[] = [];
    const stop = followLiveCandles(engine.api, chart, BTC, '1m', (s) => states.push(s));
    engine.answer();
    await settle();
    expect(states.at(-1)).toEqual({ status: 'ready', bars: 3 });
    const setDataAfterLoad = [candles.setData.mock.calls.length, volume.setData.mock.calls.length];
    expect(candles.setData).toHaveBeenLastCalledWith(expect.arrayContaining([expect.objectContaining({ time: 120, close: 102 })]));

    for (let i = 0; i < 50; i++) engine.tick('1m', bar(2 * MINUTE + Math.floor(i / 10) * MINUTE, 102 + i));

    expect(candles.update).toHaveBeenCalledTimes(50);
    expect(volume.update).toHaveBeenCalledTimes(50);
    expect([candles.setData.mock.calls.length, volume.setData.mock.calls.length]).toEqual(setDataAfterLoad);
    expect(candles.update).toHaveBeenLastCalledWith(expect.objectContaining({ time: 360, close: 151 }));
    stop();
    engine.tick('1m', bar(7 * MINUTE, 1));
    expect(candles.update, 'nothing is drawn once stopped').toHaveBeenCalledTimes(50);
  });

  it('draws the ticks that arrived while the history loaded with series.update once it has', async () => {
    const { chart, candles } = countingChart();
    const engine = engineWith([bar(0, 100)]);
    followLiveCandles(engine.api, chart, BTC, '1m', () => undefined);
    engine.tick('1m', bar(MINUTE, 105));
    engine.tick('1m', bar(MINUTE, 106));
    expect(candles.update).not.toHaveBeenCalled();
    engine.answer();
    await settle();
    expect(candles.update).toHaveBeenCalledTimes(2);
    expect(candles.setData.mock.calls.map(([data]) => (data as unknown[]).length)).toEqual([0, 1]);
  });

  it('rolls 1m ticks into a 5m chart with series.update alone', async () => {
    const { chart, candles, volume } = countingChart();
    const engine = engineWith([bar(0, 100)]);
    followLiveCandles(engine.api, chart, BTC, '5m', () => undefined);
    engine.answer();
    await settle();
    const setData = candles.setData.mock.calls.length + volume.setData.mock.calls.length;
    for (let minute = 1; minute <= 12; minute++) engine.tick('1m', bar(minute * MINUTE, 100 + minute));
    expect(candles.update.mock.calls.length).toBeGreaterThanOrEqual(12);
    expect(candles.setData.mock.calls.length + volume.setData.mock.calls.length).toBe(setData);
  });
});
