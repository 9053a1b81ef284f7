import { describe, expect, it } from 'vitest';
import type { Proposal } from '../../../shared/domain';
import { DEFAULT_SETTINGS, type Settings, type StrategySettings } from '../../../shared/settings';
import { adaptiveLeverageStrategy } from '../strategy/adaptive-leverage';
import type { Strategy } from '../strategy/strategy';
import { paperEngine } from '../testing/paper-engine';
import { echo } from '../testing/scripted-strategies';

const BTC = 'BTC/USDT:USDT';
const adaptiveSettings = DEFAULT_SETTINGS.strategies.find((s) => s.id === 'adaptive-leverage')!;

/** Only the adaptive-leverage strategy, enabled, with the global risk per trade at `global`. */
const onlyAdaptive =
  (global: number) =>
  (s: Settings): Settings => ({ ...s, risk: { ...s.risk, riskPerTrade: global }, strategies: s.strategies.filter((st) => st.id === 'adaptive-leverage').map((st) => ({ ...st, enabled: true })) });

/** `echo` (a long on every bar, 3% stop) declaring its own risk per trade. */
const echoRisking =
  (riskPerTrade: number) =>
  (settings: StrategySettings): Strategy => ({ ...echo(settings), riskPerTrade });

/** The risk of a proposal sized at `fraction` of `equity`: at most that, and short of it by less than one amount step. */
function expectSizedAt(proposal: Proposal, equity: number, fraction: number, amountStep: number): void {
  const target = equity * fraction;
  expect(proposal.riskAmount).toBeLessThanOrEqual(target + 1e-9);
  expect(proposal.riskAmount).toBeGreaterThan(target - amountStep * Math.abs(proposal.entry - proposal.stop));
}

/** A long the guide's way: entry 60,000, a 2% stop, 2:1. */
const signal = { symbol: BTC, side: 'long' as const, entry: 60_000, stop: 58_800, takeProfit: 62_400, leverage: 2, reason: 'guide entry' };

/** A started engine whose global risk per trade is `global`, with its equity and BTC's amount step. */
async function startedAt(global: number) {
  const h = await paperEngine({ settings: onlyAdaptive(global) });
  await h.engine.start();
  return { h, equity: h.engine.trading.book.accountState().equity, step: h.adapter.market(BTC).amountStep };
}

/** An engine whose strategy signals once, on a bar after start; answers the proposal it made. */
async function proposalFromRunner(global: number, declared: number) {
  const h = await paperEngine({ settings: onlyAdaptive(global), trading: { buildStrategy: echoRisking(declared) } });
  await h.engine.start();
  const time = Math.ceil(h.paper.sim.now() / 60_000) * 60_000 + 60_000;
  h.engine.trading.runner.onClosedCandle(BTC, '1m', { time, open: 60_000, high: 60_100, low: 59_900, close: 60_000, volume: 1 });
  await h.engine.trading.runner.idle();
  const proposal = h.engine.trading.proposals.list().find((p) => p.source === 'adaptive-leverage');
  expect(proposal, 'the strategy proposed').toBeDefined();
  return { proposal: proposal!, equity: h.engine.trading.book.accountState().equity, step: h.adapter.market(BTC).amountStep };
}

describe('the risk per trade a strategy declares', () => {
  it('sizes its proposals, and the proposal says so', async () => {
    const { proposal, equity, step } = await proposalFromRunner(0.02, 0.015);
    expect(proposal.risk).toEqual({ fraction: 0.015, source: 'strategy', declared: 0.015 });
    expectSizedAt(proposal, equity, 0.015, step);
  });

  it('is cut to the global setting, which stays the ceiling', async () => {
    const { proposal, equity, step } = await proposalFromRunner(0.01, 0.015);
    expect(proposal.risk).toEqual({ fraction: 0.01, source: 'capped', declared: 0.015 });
    expectSizedAt(proposal, equity, 0.01, step);
  });

  it('the adaptive strategy’s 1.5% sizes its proposal; a manual ticket keeps the global setting', async () => {
    const { h, equity, step } = await startedAt(0.02);
    const fromStrategy = h.engine.trading.proposals.fromSignal('adaptive-leverage', signal, '1m', false, 3, adaptiveLeverageStrategy(adaptiveSettings).riskPerTrade)!;
    expect(fromStrategy.risk).toEqual({ fraction: 0.015, source: 'strategy', declared: 0.015 });
    expectSizedAt(fromStrategy, equity, 0.015, step);
    h.engine.trading.proposals.reject(fromStrategy.id, 'test');

    const manual = await h.engine.trading.proposals.manual({ symbol: BTC, side: 'long', entry: 60_000, stop: 58_800, takeProfit: 62_400 });
    expect(manual.risk).toEqual({ fraction: 0.02, source: 'global', declared: null });
    expectSizedAt(manual, equity, 0.02, step);
  });

  it('a lower global setting at approval re-sizes to it', async () => {
    const { h, equity, step } = await startedAt(0.02);
    const proposal = h.engine.trading.proposals.fromSignal('adaptive-leverage', signal, '1m', false, 3, 0.015)!;
    const lowered = { ...structuredClone(DEFAULT_SETTINGS), risk: { ...DEFAULT_SETTINGS.risk, riskPerTrade: 0.005 } };
    await h.engine.handlers['settings.update']({ settings: lowered });
    const replanned = h.engine.trading.proposals.replan(proposal, 60_000);
    expectSizedAt({ ...proposal, ...replanned }, equity, 0.005, step);
  });
});
