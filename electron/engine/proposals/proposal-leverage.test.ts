import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type StrategySettings } from '../../../shared/settings';
import { adaptiveLeverageStrategy } from '../strategy/adaptive-leverage';
import type { Signal } from '../strategy/strategy';
import { paperEngine } from '../testing/paper-engine';

const BTC = 'BTC/USDT:USDT';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

/** A zig-zag climb, then a sharp three-bar dip: a long pullback in a strong trend (ADX above 25), so 2 x 1.2 = 2.4x. */
function upTrendWithDip(): Candle[] {
  const bars: Candle[] = [];
  let price = 100;
  const bar = (i: number, close: number): Candle => ({ time: i * 60_000, open: close, high: close * 1.004, low: close * 0.996, close, volume: 1 });
  for (let i = 0; i < 60; i++) bars.push(bar(i, (price *= i % 2 ? 0.996 : 1.012)));
  for (let i = 60; i < 63; i++) bars.push(bar(i, (price *= 0.965)));
  return bars;
}

function adaptiveSignal(): Signal {
  const settings: StrategySettings = { ...DEFAULT_SETTINGS.strategies.find((s) => s.id === 'adaptive-leverage')!, volatilityThreshold: 20 };
  const strategy = adaptiveLeverageStrategy(settings).forSymbol(BTC);
  const context = { equity: 10_000, drawdownPct: 0, maxLeverage: 5 };
  const signal = upTrendWithDip()
    .map((c) => strategy.onCandle(c, context) as Signal | null)
    .find((s): s is Signal => s !== null);
  expect(signal, 'the adaptive strategy signals on the dip').toBeDefined();
  return signal!;
}

describe('a proposal from the adaptive-leverage strategy', () => {
  it('says the leverage the exchange is set to, not only the fraction computed', async () => {
    const signal = adaptiveSignal();
    expect(signal.leverage).toBeCloseTo(2.4, 9);
    h = await paperEngine({ prices: { [BTC]: signal.entry } });
    await h.engine.start();
    const proposal = h.engine.trading.proposals.fromSignal('adaptive-leverage', signal, '1m', false, 3)!;
    expect(proposal.leverage).toBe(2);
    expect(proposal.reason).toContain('leverage 2.40x computed, 2x applied');
    expect(Number(/(\d+)x applied/.exec(proposal.reason)![1])).toBe(proposal.leverage);
  });
});
