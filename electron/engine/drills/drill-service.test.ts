import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DrillState } from '../../../shared/drills';
import type { Settings } from '../../../shared/settings';
import { flush, paperEngine } from '../testing/paper-engine';
import { LIVE_MODE_REFUSAL } from './drill-service';

const BTC = 'BTC/USDT:USDT';

/** A user who allows 10x and keeps the liquidation-distance breaker at 6%, so it acts before a stop placed near the liquidation buffer. */
const drillSettings = (s: Settings): Settings => ({
  ...s,
  risk: { ...s.risk, maxLeverage: 10 },
  breakers: { ...s.breakers, liquidationDistancePct: 6 },
  strategies: s.strategies.map((st) => ({ ...st, enabled: false })),
});

type Harness = Awaited<ReturnType<typeof paperEngine>>;

/** Advances the simulated clock a second at a time, letting the engine act on each second's marks. */
async function run(h: Harness, seconds: number): Promise<void> {
  for (let i = 0; i < seconds; i++) {
    h.advance(1_000);
    await flush(4);
  }
}

const contracts = (h: Harness) => Math.abs(h.paper.sim.positions().find((p) => p.symbol === BTC)?.positionAmt ?? 0);

async function openTenTimesLong(h: Harness) {
  const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 57_300, takeProfit: 66_000, leverage: 10 });
  expect(proposal.verdict.ok).toBe(true);
  await h.engine.handlers['proposal.approve']({ id: proposal.id });
  expect(contracts(h)).toBeGreaterThan(0);
  return h.engine.trading.book.positionViews()[0]!;
}

describe('crash drills on the paper exchange', () => {
  it('the flash crash makes the liquidation-distance breaker close a 10x long before its liquidation price, and the report says so', async () => {
    const h = await paperEngine({ drills: true, settings: drillSettings });
    await h.engine.start();
    const position = await openTenTimesLong(h);
    expect(position.liquidationPrice).toBeGreaterThan(60_000 * 0.85);

    const started = await h.engine.handlers['drill.start']({ id: 'builtin:flash-crash' });
    expect(started).toMatchObject({ status: 'running', scenario: { id: 'builtin:flash-crash', name: 'Flash crash' } });
    await run(h, 95);

    expect(contracts(h)).toBe(0);
    const journal = h.journal();
    expect(journal.filter((e) => e.type === 'liquidation')).toEqual([]);
    const trip = journal.find((e) => e.type === 'breaker.trip' && (e.data as { id: string }).id === 'liquidation-distance');
    expect(trip).toBeDefined();
    const closeRequest = journal.find((e) => e.type === 'order.request' && e.seq > trip!.seq);
    expect(closeRequest?.data).toMatchObject({ request: { symbol: BTC, reduceOnly: true, type: 'market' } });
    const closedAt = journal.find((e) => e.type === 'fill' && e.seq > closeRequest!.seq)!.data as { price: number };
    expect(closedAt.price).toBeGreaterThan(position.liquidationPrice!);

    const state = h.last('drill') as DrillState;
    expect(state.status).toBe('finished');
    const report = state.report!;
    expect(report).toMatchObject({ scenario: 'Flash crash', outcome: 'finished', liquidationsSuffered: 0, liquidationsAvoided: 1 });
    const reportedTrip = report.events.find((e) => e.kind === 'breaker-trip');
    expect(reportedTrip?.text).toContain('liquidation-distance tripped');
    expect(reportedTrip?.delayMs).toEqual(expect.any(Number));
    expect(reportedTrip!.delayMs!).toBeGreaterThanOrEqual(0);
    expect(report.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['breaker-trip', 'breaker-action', 'order-sent', 'order-filled']));
    expect(report.equityAfter!).toBeLessThan(report.equityBefore!);
    expect(journal.map((e) => e.type)).toEqual(expect.arrayContaining(['drill.start', 'drill.end']));
  });

  it('without the breaker the same crash liquidates the position, and the report counts it as suffered', async () => {
    const h = await paperEngine({ drills: true, settings: (s) => ({ ...drillSettings(s), breakers: { ...s.breakers, liquidationDistancePct: 0.1 } }) });
    await h.engine.start();
    await openTenTimesLong(h);
    // the stop is cancelled by hand: the drill shows what happens to an unprotected position
    for (const order of h.paper.sim.openOrders(BTC, 'conditional')) h.paper.sim.cancelOrder(BTC, { orderId: order.orderId });
    await h.engine.handlers['drill.start']({ id: 'builtin:flash-crash' });
    await run(h, 95);
    const report = (h.last('drill') as DrillState).report!;
    expect(report.liquidationsSuffered).toBe(1);
    expect(report.events.some((e) => e.kind === 'liquidation')).toBe(true);
  });

  it('Stop drill returns prices to the feed and reports a drill still running as stopped', async () => {
    const h = await paperEngine({ drills: true, settings: drillSettings });
    await h.engine.start();
    await h.engine.handlers['drill.start']({ id: 'builtin:slow-bleed' });
    await run(h, 60);
    expect(h.paper.sim.mark(BTC).markPrice).toBeLessThan(59_700);
    const stopped = await h.engine.handlers['drill.stop']({});
    expect(stopped.status).toBe('idle');
    expect(stopped.report?.outcome).toBe('stopped');
    await run(h, 60);
    expect(h.paper.sim.mark(BTC).markPrice).toBeCloseTo(60_000, -1);
  });

  it('lists the user’s own scenario files beside the built-ins, a broken one with its error', async () => {
    const h = await paperEngine({ drills: true, settings: drillSettings });
    fs.mkdirSync(path.join(h.dataDir, 'drills'));
    fs.writeFileSync(path.join(h.dataDir, 'drills', 'mine.json'), JSON.stringify({ name: 'My dip', symbols: { [BTC]: { path: [{ at: 30, change: -3 }] } } }));
    fs.writeFileSync(path.join(h.dataDir, 'drills', 'typo.json'), JSON.stringify({ name: 'Typo', symbols: { [BTC]: { path: [{ at: 30, chnage: -3 }] } } }));
    const catalog = await h.engine.handlers['drill.list']({});
    expect(catalog.unavailable).toBeNull();
    expect(catalog.scenarios.map((s) => s.id)).toEqual(['builtin:flash-crash', 'builtin:slow-bleed', 'builtin:short-squeeze', 'builtin:funding-spike', 'file:mine.json', 'file:typo.json']);
    expect(catalog.scenarios.find((s) => s.id === 'file:typo.json')?.error).toContain('path[0].chnage is not a scenario field');
    await expect(h.engine.handlers['drill.start']({ id: 'file:typo.json' })).rejects.toThrow('cannot run');
    await expect(h.engine.handlers['drill.start']({ id: 'file:mine.json' })).resolves.toMatchObject({ status: 'running' });
    await expect(h.engine.handlers['drill.start']({ id: 'builtin:flash-crash' })).rejects.toThrow('A drill is running (My dip)');
  });

  it('is refused, with the reason, where there is no paper exchange (live mode)', async () => {
    const h = await paperEngine({ settings: drillSettings });
    expect((await h.engine.handlers['drill.list']({})).unavailable).toBe(LIVE_MODE_REFUSAL);
    await expect(h.engine.handlers['drill.start']({ id: 'builtin:flash-crash' })).rejects.toThrow('Drills run in paper mode only');
    await expect(h.engine.handlers['drill.stop']({})).rejects.toThrow('Drills run in paper mode only');
  });
});
