import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings, type StrategySettings } from '../../shared/settings';
import { chooseOpeningSeed, chooseOpeningSeedInWorkers, describePaperSeed, OPENING_FIRST_CLOSE_MS, OPENING_WINDOW_MS, searchOutcome, type OpeningSeed } from './opening-seed';
import { defaultMarkets } from './sim/markets';

const START = Date.UTC(2026, 11, 6, 5, 49, 26);
const markets = defaultMarkets();
const withSettings = (change: (s: Settings) => Settings) => change(structuredClone(DEFAULT_SETTINGS));
const withTrendPullback = (change: Partial<StrategySettings>) =>
  withSettings((s) => ({ ...s, strategies: s.strategies.map((x) => (x.id === 'trend-pullback' ? { ...x, ...change } : x)) }));

describe('choosing the seed a paper session opens with', () => {
  const found = chooseOpeningSeed({ startTime: START, settings: DEFAULT_SETTINGS, markets });

  it('finds one whose default strategy signals on BTC between one and three minutes after the start', () => {
    expect(found).toMatchObject({ strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT' });
    expect(found!.afterStartMs).toBe(found!.signalAt - START);
    expect(found!.afterStartMs).toBeGreaterThanOrEqual(OPENING_FIRST_CLOSE_MS);
    expect(found!.afterStartMs).toBeLessThanOrEqual(OPENING_WINDOW_MS);
    expect(found!.signalAt % 60_000, 'a one-minute bar closes on a whole minute').toBe(0);
  });

  it('takes the first seed that opens so: none before it does, and the search is the same from anywhere up to it', () => {
    expect(chooseOpeningSeed({ startTime: START, settings: DEFAULT_SETTINGS, markets, seedsTried: found!.seed - 1 })).toBeNull();
    expect(chooseOpeningSeed({ startTime: START, settings: DEFAULT_SETTINGS, markets, firstSeed: found!.seed, seedsTried: 1 })).toEqual(found);
  });

  it('opens on the first watched market the simulator lists', () => {
    const settings = withSettings((s) => ({ ...s, symbols: ['DOGE/USDT:USDT', 'ETH/USDT:USDT', 'BTC/USDT:USDT'] }));
    expect(chooseOpeningSeed({ startTime: START, settings, markets })).toMatchObject({ symbol: 'ETH/USDT:USDT' });
  });

  it('never opens with a strategy that would trade by itself: in automated mode it makes no opening', () => {
    expect(chooseOpeningSeed({ startTime: START, settings: withTrendPullback({ auto: true }), markets, seedsTried: 50 })).toBeNull();
  });

  it('tries nothing for a strategy whose bars cannot close in the window (a one-hour strategy)', () => {
    const tried: number[] = [];
    expect(chooseOpeningSeed({ startTime: START, settings: withTrendPullback({ timeframe: '1h' }), markets, onMiss: (seed) => tried.push(seed) })).toBeNull();
    expect(tried).toEqual([]);
  });

  it('has nothing to open with when no strategy is enabled or no watched market is listed', () => {
    expect(chooseOpeningSeed({ startTime: START, settings: withTrendPullback({ enabled: false }), markets })).toBeNull();
    const noMarket = withSettings((s) => ({ ...s, symbols: ['DOGE/USDT:USDT'] }));
    expect(chooseOpeningSeed({ startTime: START, settings: noMarket, markets })).toBeNull();
  });

  it('answers the same when split between worker threads, however many', async () => {
    for (const workers of [1, 2, 3]) expect(await chooseOpeningSeedInWorkers({ startTime: START, settings: DEFAULT_SETTINGS, markets }, { workers })).toEqual(found);
  });

  it('answers null from the workers when none of their seeds opens with a signal', async () => {
    expect(await chooseOpeningSeedInWorkers({ startTime: START, settings: DEFAULT_SETTINGS, markets, seedsTried: found!.seed - 1 }, { workers: 2 })).toBeNull();
    expect(await chooseOpeningSeedInWorkers({ startTime: START, settings: withTrendPullback({ enabled: false }), markets }, { workers: 2 })).toBeNull();
  });

  it('reports a search that fails, or takes too long, instead of hanging', async () => {
    await expect(chooseOpeningSeedInWorkers({ startTime: Number.NaN, settings: DEFAULT_SETTINGS, markets }, { workers: 2 })).rejects.toThrow(
      "The opening's start must be a time in whole milliseconds, got NaN",
    );
    await expect(chooseOpeningSeedInWorkers({ startTime: START, settings: DEFAULT_SETTINGS, markets }, { workers: 1, timeoutMs: 1 })).rejects.toThrow('no answer within 0.001 s');
  });
});

describe('a search split between workers answers as one thread would', () => {
  const opening = (seed: number): OpeningSeed => ({ seed, strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT', signalAt: 0, afterStartMs: 90_000 });
  const share = (next: number, found: number | null = null, failed: number | null = null) => ({
    next,
    found: found === null ? null : opening(found),
    failed: failed === null ? null : { seed: failed, error: new Error(`seed ${failed} failed`) },
  });

  it('waits while a seed below the one found is untried, then answers the lowest found', () => {
    expect(searchOutcome([share(Infinity, 8), share(5)])).toEqual({ done: false });
    expect(searchOutcome([share(Infinity, 8), share(9)])).toEqual({ done: true, opening: opening(8) });
    expect(searchOutcome([share(Infinity, 8), share(Infinity, 5)])).toEqual({ done: true, opening: opening(5) });
  });

  it('answers the opening found below a worker that failed higher up, and the failure when it came first', () => {
    expect(searchOutcome([share(Infinity, 4), share(Infinity, null, 7)])).toEqual({ done: true, opening: opening(4) });
    const failedFirst = searchOutcome([share(Infinity, 8), share(Infinity, null, 3)]);
    expect(failedFirst).toMatchObject({ done: true });
    expect((failedFirst as { error: Error }).error.message).toBe('seed 3 failed');
    expect(searchOutcome([share(2), share(Infinity, null, 3)])).toEqual({ done: false });
  });

  it('answers null only once every share is done', () => {
    expect(searchOutcome([share(Infinity), share(1001)])).toEqual({ done: false });
    expect(searchOutcome([share(Infinity), share(Infinity)])).toEqual({ done: true, opening: null });
  });
});

describe('the seed in words', () => {
  const replay = 'replay: --seed 190 --start-time 2026-12-06T05:49:26.000Z';
  it('says what was given, what was chosen and why, what went wrong, and how to replay the prices', () => {
    expect(describePaperSeed({ seed: 190, startTime: START, chosen: false, opening: null })).toBe(`seed 190; ${replay}`);
    const opening = { seed: 190, strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT', signalAt: START + 94_000, afterStartMs: 94_000 };
    expect(describePaperSeed({ seed: 190, startTime: START, chosen: true, opening })).toBe(
      `seed 190, chosen so that trend-pullback signals on BTC/USDT:USDT 94 s after the start; ${replay}`,
    );
    expect(describePaperSeed({ seed: 1, startTime: START, chosen: true, opening: null, searchError: 'boom' })).toMatch(/^seed 1: choosing one with an opening setup failed \(boom\); replay: --seed 1 /);
    expect(describePaperSeed({ seed: 1, startTime: START, chosen: true, opening: null })).toMatch(/^seed 1: no strategy in manual-approval mode/);
  });
});
