import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { chooseOpeningSeed, chooseOpeningSeedInWorkers, describePaperSeed, OPENING_FIRST_CLOSE_MS, OPENING_WINDOW_MS } from './opening-seed';
import { defaultMarkets } from './sim/markets';

const START = Date.UTC(2026, 11, 6, 5, 49, 26);
const markets = defaultMarkets();
const withSettings = (change: (s: Settings) => Settings) => change(structuredClone(DEFAULT_SETTINGS));

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

  it('has nothing to open with when no strategy is enabled or no watched market is listed', () => {
    const noStrategy = withSettings((s) => ({ ...s, strategies: s.strategies.map((x) => ({ ...x, enabled: false })) }));
    expect(chooseOpeningSeed({ startTime: START, settings: noStrategy, markets })).toBeNull();
    const noMarket = withSettings((s) => ({ ...s, symbols: ['DOGE/USDT:USDT'] }));
    expect(chooseOpeningSeed({ startTime: START, settings: noMarket, markets })).toBeNull();
  });

  it('answers the same when split between worker threads, however many', async () => {
    for (const workers of [1, 2, 3]) expect(await chooseOpeningSeedInWorkers({ startTime: START, settings: DEFAULT_SETTINGS, markets }, workers)).toEqual(found);
  });

  it('answers null from the workers when none of their seeds opens with a signal', async () => {
    expect(await chooseOpeningSeedInWorkers({ startTime: START, settings: DEFAULT_SETTINGS, markets, seedsTried: found!.seed - 1 }, 2)).toBeNull();
    const noStrategy = withSettings((s) => ({ ...s, strategies: s.strategies.map((x) => ({ ...x, enabled: false })) }));
    expect(await chooseOpeningSeedInWorkers({ startTime: START, settings: noStrategy, markets }, 2)).toBeNull();
  });

  it('reports a failed search instead of hanging', async () => {
    await expect(chooseOpeningSeedInWorkers({ startTime: Number.NaN, settings: DEFAULT_SETTINGS, markets })).rejects.toThrow(/./);
  });
});

describe('the seed in words', () => {
  it('says what was given, what was chosen and why, and what went wrong', () => {
    expect(describePaperSeed({ seed: 7, chosen: false, opening: null })).toBe('seed 7');
    expect(
      describePaperSeed({ seed: 190, chosen: true, opening: { seed: 190, strategy: 'trend-pullback', symbol: 'BTC/USDT:USDT', signalAt: 0, afterStartMs: 94_000 } }),
    ).toBe('seed 190, chosen so that trend-pullback signals on BTC/USDT:USDT 94 s after the start; --seed picks another');
    expect(describePaperSeed({ seed: 1, chosen: true, opening: null, searchError: 'boom' })).toBe('seed 1 (choosing one with an opening setup failed: boom)');
    expect(describePaperSeed({ seed: 1, chosen: true, opening: null })).toMatch(/^seed 1 \(no enabled strategy/);
  });
});
