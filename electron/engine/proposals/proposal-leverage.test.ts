import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type StrategySettings } from '../../../shared/settings';
import { adaptiveLeverageStrategy } from '../strategy/adaptive-leverage';
import type { Signal } from '../strategy/strategy';
import { paperEngine } from '../testing/paper-engine';
import { zigZagClimb } from '../testing/pullback-bars';

const BTC = 'BTC/USDT:USDT';

/** The adaptive strategy's last entry on a strong, calm climb: 2 × 1.2 = 2.4x computed. */
function adaptiveSignal(): Signal {
  const settings: StrategySettings = { ...DEFAULT_SETTINGS.strategies.find((s) => s.id === 'adaptive-leverage')!, volatilityThreshold: 20 };
  const strategy = adaptiveLeverageStrategy(settings).forSymbol(BTC);
  const context = { equity: 10_000, drawdownPct: 0, maxLeverage: 5 };
  const signal = zigZagClimb()
    .map((c) => strategy.onCandle(c, context) as Signal | null)
    .findLast((s): s is Signal => s !== null);
  expect(signal, 'the adaptive strategy enters on the climb').toBeDefined();
  return signal!;
}

describe('a proposal from the adaptive-leverage strategy', () => {
  it('says the leverage the exchange is set to, not only the fraction computed', async () => {
    const signal = adaptiveSignal();
    expect(signal.leverage).toBeCloseTo(2.4, 9);
    const h = await paperEngine({ prices: { [BTC]: signal.entry } });
    await h.engine.start();
    const proposal = h.engine.trading.proposals.fromSignal('adaptive-leverage', signal, '1m', false, 3)!;
    expect(proposal.leverage).toBe(2);
    expect(proposal.reason).toContain('leverage 2.40x computed, 2x applied');
    expect(Number(/(\d+)x applied/.exec(proposal.reason)![1])).toBe(proposal.leverage);
  });
});
