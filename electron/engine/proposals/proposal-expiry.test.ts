import { describe, expect, it } from 'vitest';
import type { Settings, StrategySettings } from '../../../shared/settings';
import type { Strategy } from '../strategy/strategy';
import { flush, paperEngine } from '../testing/paper-engine';
import { proposalLifetimeMs } from './proposal-service';

const BTC = 'BTC/USDT:USDT';
const MINUTE = 60_000;

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

/** Signals a 3% stop / 2:1 long on every live BTC candle of its timeframe. */
const eager = (settings: StrategySettings): Strategy => ({
  id: settings.id,
  label: 'eager',
  timeframe: settings.timeframe,
  warmup: 0,
  forSymbol: (symbol) => ({
    onCandle: (c) => (symbol === BTC ? { symbol, side: 'long', entry: c.close, stop: c.close * 0.97, takeProfit: c.close * 1.06, leverage: 5, reason: 'eager' } : null),
  }),
});

/** The trend-pullback slot on 5m candles, with the given proposal time limit. */
const fiveMinutes = (proposalTtlMs: number) => (s: Settings): Settings => ({
  ...s,
  risk: { ...s.risk, proposalTtlCandles: 2, proposalTtlMs },
  strategies: s.strategies.map((st) => ({ ...st, timeframe: '5m' })),
});

async function firstSignalProposal(harness: Harness) {
  await harness.engine.start();
  for (let i = 0; i < 200 && harness.engine.trading.proposals.list().length === 0; i++) {
    harness.advance(MINUTE);
    await flush(5);
  }
  const [proposal] = harness.engine.trading.proposals.list();
  expect(proposal, 'a proposal from the 5m strategy').toBeDefined();
  return proposal!;
}

describe('a proposal expires after 2 candles of its strategy, or the time limit if that is sooner', () => {
  it('a 5m strategy with a 30-minute limit: its proposal lives two 5m candles, 10 minutes', async () => {
    h = await paperEngine({ trading: { buildStrategy: eager }, settings: fiveMinutes(30 * MINUTE) });
    const proposal = await firstSignalProposal(h);
    expect(proposal.expiresAt - proposal.createdAt).toBe(10 * MINUTE);
    h.advance(proposal.expiresAt - h.paper.sim.now() - 1_000);
    h.engine.trading.proposals.expire();
    expect(h.engine.trading.proposals.get(proposal.id).status).toBe('pending');
    h.advance(1_000);
    h.engine.trading.proposals.expire();
    expect(h.engine.trading.proposals.get(proposal.id).status).toBe('expired');
  });

  it('a 5m strategy with the default 2-minute limit: the limit is sooner, so 2 minutes', async () => {
    h = await paperEngine({ trading: { buildStrategy: eager }, settings: fiveMinutes(2 * MINUTE) });
    const proposal = await firstSignalProposal(h);
    expect(proposal.expiresAt - proposal.createdAt).toBe(2 * MINUTE);
  });

  it('a manual ticket has no candles: it lives for the time limit', async () => {
    h = await paperEngine({ settings: fiveMinutes(30 * MINUTE) });
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    expect(proposal.expiresAt - proposal.createdAt).toBe(30 * MINUTE);
  });
});

describe('proposalLifetimeMs', () => {
  it('is the shorter of the candles of the timeframe and the time limit', () => {
    const risk = { proposalTtlCandles: 2, proposalTtlMs: 30 * MINUTE };
    expect(proposalLifetimeMs(risk, '1m')).toBe(2 * MINUTE);
    expect(proposalLifetimeMs(risk, '5m')).toBe(10 * MINUTE);
    expect(proposalLifetimeMs(risk, '1h')).toBe(30 * MINUTE);
    expect(proposalLifetimeMs({ proposalTtlCandles: 3, proposalTtlMs: 30 * MINUTE }, '5m')).toBe(15 * MINUTE);
    expect(proposalLifetimeMs(risk, null)).toBe(30 * MINUTE);
  });
});
