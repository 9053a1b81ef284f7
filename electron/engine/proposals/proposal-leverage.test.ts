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

describe('a ticket or signal without leverage gets the lowest that passes every check, breakers included', () => {
  const ticket = { symbol: BTC, side: 'long' as const, stop: 58_800, takeProfit: 62_400 };

  it('a fresh account, a 2% stop and a 4% take-profit: 2x would tie up 24.9% of equity as margin (over the 20% cap), so 3x', async () => {
    const h = await paperEngine();
    await h.engine.start();
    const preview = await h.engine.trading.proposals.preview(ticket);
    expect(preview).toMatchObject({ leverage: 3, leverageChosen: true });
    expect(preview.verdict).toEqual({ ok: true, violations: [] });
    const proposal = await h.engine.trading.proposals.manual(ticket);
    expect(proposal.leverage).toBe(3);
    expect(proposal.verdict.ok).toBe(true);
    expect(proposal.reason).toContain('3x, the lowest leverage that passes');
    const named = await h.engine.trading.proposals.preview({ ...ticket, leverage: 2 });
    expect(named).toMatchObject({ leverage: 2, leverageChosen: false });
    expect(named.verdict.violations.map((v) => v.message).join(' ')).toContain('over the 20% cap');
  });

  it('says which check no leverage up to the cap can satisfy', async () => {
    const h = await paperEngine({ settings: (s) => ({ ...s, risk: { ...s.risk, maxLeverage: 2 } }) });
    await h.engine.start();
    const proposal = await h.engine.trading.proposals.manual(ticket);
    expect(proposal.verdict.ok).toBe(false);
    expect(proposal.verdict.violations[0]).toMatchObject({ rule: 'leverage-none-passes' });
    expect(proposal.statusReason).toContain('No leverage passes: the breakers’ checks (margin caps included) are not met at any leverage from 1x to 2x');
  });

  it('a strategy’s signal without leverage stays within the strategies’ cap, below a higher manual cap', async () => {
    const h = await paperEngine({ settings: (s) => ({ ...s, risk: { ...s.risk, maxLeverage: 10 }, breakers: { ...s.breakers, strategyMaxLeverage: 2 } }) });
    await h.engine.start();
    const signal: Signal = { symbol: BTC, side: 'long', entry: 60_000, stop: 58_800, takeProfit: 62_400, reason: 'test signal' };
    const proposal = h.engine.trading.proposals.fromSignal('trend-pullback', signal, '1m', false, 3)!;
    expect(proposal.leverage).toBeLessThanOrEqual(2);
    expect(proposal.verdict.violations[0]!.message).toContain('from 1x to 2x');
    h.engine.trading.proposals.reject(proposal.id, 'test');
    const manual = await h.engine.trading.proposals.manual(ticket);
    expect(manual).toMatchObject({ leverage: 3 });
    expect(manual.verdict.ok).toBe(true);
  });
});
