import { describe, expect, it } from 'vitest';
import { defaultMarkets } from '../markets';
import { createSimExchange } from '../sim-exchange';
import type { RunnerTimers } from '../sim-runner';
import { createLiveFeed, type PublicMarketData } from './live';

const BTC = 'BTC/USDT:USDT';
const NOW = Date.UTC(2024, 0, 1, 12, 0, 30);

/** Timers stepped by hand: `fire()` runs whatever is scheduled. */
function manualTimers() {
  let scheduled: (() => void) | null = null;
  const timers: RunnerTimers = {
    setTimeout: (callback) => {
      scheduled = callback;
      return 1;
    },
    clearTimeout: () => {
      scheduled = null;
    },
  };
  return {
    timers,
    pending: () => scheduled !== null,
    fire: async () => {
      const callback = scheduled;
      scheduled = null;
      callback?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A keyless exchange with canned answers, like ccxt's binanceusdm offline. */
function fakeExchange() {
  const state = { last: 42_000, fail: null as string | null, tickerCalls: 0 };
  const minute = Math.floor(NOW / 60_000) * 60_000;
  const exchange: PublicMarketData = {
    id: 'binanceusdm',
    fetchTicker: async (symbol) => {
      state.tickerCalls++;
      if (state.fail) throw new Error(state.fail);
      if (symbol !== BTC) throw new Error(`binanceusdm does not have market symbol ${symbol}`);
      return { last: state.last, baseVolume: 86_400 };
    },
    fetchOHLCV: async (_symbol, timeframe, _since, limit) => {
      expect(timeframe).toBe('1m');
      return Array.from({ length: limit! }, (_, i) => {
        const time = minute - (limit! - 1 - i) * 60_000;
        return [time, 41_000 + i, 41_010 + i, 40_990 + i, 41_005 + i, 3];
      });
    },
  };
  return { exchange, state };
}

describe('live feed', () => {
  it('loads history and a first price at start, then serves the latest price with the average volume', async () => {
    const { exchange } = fakeExchange();
    const { timers } = manualTimers();
    const feed = createLiveFeed({ exchange, symbols: [BTC], timers, historyBars: 10 });
    await feed.start();
    expect(feed.next(BTC, NOW)).toEqual({ price: 42_000, volume: 0 });
    expect(feed.next(BTC, NOW + 1_000)).toEqual({ price: 42_000, volume: 1 });
    const history = feed.history!(BTC, NOW, 5);
    expect(history).toHaveLength(5);
    expect(history.at(-1)!.time + 60_000).toBeLessThanOrEqual(NOW);
    feed.stop();
  });

  it('polls the ticker and keeps the last price through a failed poll', async () => {
    const { exchange, state } = fakeExchange();
    const manual = manualTimers();
    const errors: string[] = [];
    const feed = createLiveFeed({ exchange, symbols: [BTC], timers: manual.timers, onError: (_, e) => errors.push(String(e)) });
    await feed.start();
    state.last = 42_500;
    await manual.fire();
    expect(feed.next(BTC, NOW).price).toBe(42_500);
    state.fail = 'ECONNRESET';
    await manual.fire();
    expect(feed.next(BTC, NOW + 1).price).toBe(42_500);
    expect(feed.lastError()).toMatch(/ECONNRESET/);
    expect(errors).toHaveLength(1);
    state.fail = null;
    await manual.fire();
    expect(feed.lastError()).toBeNull();
    feed.stop();
    expect(manual.pending()).toBe(false);
  });

  it('says so when the exchange cannot be reached, and when asked before it started', async () => {
    const { exchange, state } = fakeExchange();
    state.fail = 'getaddrinfo ENOTFOUND fapi.binance.com';
    const feed = createLiveFeed({ exchange, symbols: [BTC], timers: manualTimers().timers });
    expect(() => feed.next(BTC, NOW)).toThrow(/no price for BTC\/USDT:USDT yet; await start\(\) first/);
    await expect(feed.start()).rejects.toThrow(/cannot load BTC\/USDT:USDT from binanceusdm: getaddrinfo ENOTFOUND/);
  });

  it('gives a simulator its real history as warm-up', async () => {
    const { exchange } = fakeExchange();
    const feed = createLiveFeed({ exchange, symbols: [BTC], timers: manualTimers().timers, historyBars: 50 });
    await feed.start();
    const sim = createSimExchange({ markets: [defaultMarkets()[0]!], feed, startTime: NOW, startBalance: 1_000, seed: 1, warmupBars: 20 });
    const candles = sim.candles(BTC, '1m', { limit: 21 });
    const firstOfLastTwentyClosed = 49 - 20;
    expect(candles[0]).toMatchObject({ open: 41_000 + firstOfLastTwentyClosed, high: 41_010 + firstOfLastTwentyClosed, low: 40_990 + firstOfLastTwentyClosed, close: 41_005 + firstOfLastTwentyClosed, volume: 3 });
    expect(candles.at(-1)).toMatchObject({ time: Math.floor(NOW / 60_000) * 60_000, open: 42_000, close: 42_000 });
    expect(sim.mark(BTC).lastPrice).toBe(42_000);
    feed.stop();
  });
});
