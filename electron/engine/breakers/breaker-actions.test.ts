import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../shared/domain';
import { roundDownToStep } from '../../../shared/risk/precision';
import type { Settings } from '../../../shared/settings';
import { flush, paperEngine } from '../testing/paper-engine';

type Harness = Awaited<ReturnType<typeof paperEngine>>;
let h: Harness | null = null;

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

/** Lets stream events and the breaker actions they start run to the end (no timers involved). */
async function until(condition: () => boolean, rounds = 300): Promise<void> {
  for (let i = 0; i < rounds && !condition(); i++) await flush(1);
  expect(condition()).toBe(true);
}

/** A long of 0.1 BTC at 60,000 and 5x: 3% of 10,000 USDT risked over a 3,000 stop distance. Liquidation near 48,200, about 19.7% away. */
async function openBtcLong(harness: Harness) {
  const proposal = await harness.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 57_000, takeProfit: 66_000, leverage: 5 });
  expect(proposal).toMatchObject({ quantity: 0.1, verdict: { ok: true } });
  await harness.engine.handlers['proposal.approve']({ id: proposal.id });
  expect(harness.paper.sim.openOrders(BTC, 'conditional')).toHaveLength(2);
}

const contracts = (harness: Harness, symbol: string) => Math.abs(harness.paper.sim.positions().find((p) => p.symbol === symbol)?.positionAmt ?? 0);
const sentOrders = (journal: JournalEntry[], purpose: string) =>
  journal.filter((e) => e.type === 'order.request' && (e.data as { purpose?: string }).purpose === purpose).map((e) => (e.data as { request: { amount: number; reduceOnly: boolean; type: string } }).request);
const breakerJournal = (journal: JournalEntry[], id: string) => journal.filter((e) => e.type.startsWith('breaker.') && (e.data as { id?: string }).id === id).map((e) => e.type);

const withBreakers = (breakers: Partial<Settings['breakers']>) => (s: Settings): Settings => ({
  ...s,
  risk: { ...s.risk, riskPerTrade: 0.03 },
  breakers: { ...s.breakers, ...breakers },
  strategies: s.strategies.map((st) => ({ ...st, enabled: false })),
});

describe('the breakers act on mark-price ticks, on a paper engine', () => {
  it('cuts the position by the configured 30% with a reduce-only market order when a tick takes its margin ratio past the emergency level', async () => {
    // the isolated margin ratio of this long is about 2.0% at 60,000 and 2.23% at 58,500
    h = await paperEngine({ settings: withBreakers({ marginRatioWarnPct: 1, marginRatioEmergencyPct: 2.2, marginRatioReduceFraction: 0.3 }) });
    await h.engine.start();
    await openBtcLong(h);
    h.setPrice(BTC, 59_500);
    await flush();
    expect(h.last('breakers')?.find((b) => b.id === 'margin-ratio')?.state).toBe('warning');
    expect(contracts(h, BTC)).toBe(0.1);

    h.setPrice(BTC, 58_500);
    await until(() => contracts(h!, BTC) < 0.1 && h!.engine.trading.book.positionViews()[0]?.contracts !== 0.1);

    expect(contracts(h, BTC)).toBeCloseTo(0.07, 9);
    const journal = h.journal();
    expect(sentOrders(journal, 'close')).toEqual([expect.objectContaining({ type: 'market', amount: 0.03, reduceOnly: true })]);
    expect(breakerJournal(journal, 'margin-ratio')).toEqual(['breaker.state', 'breaker.trip', 'breaker.action']);
    expect(journal.find((e) => e.type === 'breaker.action')?.data).toMatchObject({ id: 'margin-ratio', action: 'reduce', symbol: BTC, fraction: 0.3 });
    expect(h.paper.sim.openOrders(BTC, 'conditional')).toHaveLength(2);
  });

  it('closes the position, leaving it flat with its stop and take-profit cancelled, when a tick brings the mark within the liquidation distance', async () => {
    // about 19.7% from liquidation at 60,000, 17.6% at 58,500; the stop at 57,000 is not reached
    h = await paperEngine({ settings: withBreakers({ liquidationDistancePct: 18 }) });
    await h.engine.start();
    await openBtcLong(h);

    h.setPrice(BTC, 58_500);
    await until(() => contracts(h!, BTC) === 0 && h!.paper.sim.openOrders(BTC, 'all').length === 0);

    const journal = h.journal();
    expect(breakerJournal(journal, 'liquidation-distance').slice(-2)).toEqual(['breaker.trip', 'breaker.action']);
    expect(sentOrders(journal, 'close')).toEqual([expect.objectContaining({ type: 'market', amount: 0.1, reduceOnly: true })]);
    await until(() => h!.engine.trading.book.positionViews().length === 0 && h!.engine.trading.book.openOrders().length === 0);
  });

  it('streams the marks of a position opened by hand on a symbol not watched, and closes it from those ticks alone', async () => {
    h = await paperEngine({ settings: (s) => ({ ...withBreakers({ liquidationDistancePct: 10 })(s), symbols: [BTC] }) });
    await h.engine.start();
    const market = h.paper.sim.market(ETH);
    h.paper.sim.setMarginMode(ETH, 'isolated');
    h.paper.sim.setLeverage(ETH, 8);
    h.paper.sim.placeOrder({ symbol: ETH, side: 'BUY', type: 'MARKET', quantity: roundDownToStep(1_000 / 3_000, market.amountStep), clientOrderId: 'web_by_hand_1' });
    await until(() => h!.engine.trading.book.positionViews().some((p) => p.symbol === ETH));
    const adopted = h.engine.trading.book.positionViews().find((p) => p.symbol === ETH)!;
    expect(adopted.distanceToLiquidationPct).toBeGreaterThan(10);
    const ticks = () => h!.events.filter((e) => e.event === 'ticker' && (e.payload as { symbol: string }).symbol === ETH).length;

    await flush();
    h.setPrice(ETH, 2_990);
    await until(() => ticks() > 0);
    expect(contracts(h, ETH)).toBeGreaterThan(0);

    // at 8x, liquidation sits near 2,636: 2,900 is within 10% of it
    h.setPrice(ETH, 2_900);
    await until(() => contracts(h!, ETH) === 0);
    expect(h.journal().filter((e) => e.type === 'reconcile').map((e) => (e.data as { reason: string }).reason)).toEqual(['start']);
    expect(h.journal().find((e) => e.type === 'breaker.action')?.data).toMatchObject({ id: 'liquidation-distance', action: 'close', symbol: ETH });
  });
});
