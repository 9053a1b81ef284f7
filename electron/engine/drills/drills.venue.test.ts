import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import { restClient } from '../../venue/venue-fixtures';
import { venue, venueEngine, waitFor } from '../testing/venue-engine';
import { loadScenarioFile } from './scenario';

const BTC = 'BTC/USDT:USDT';
const START = Date.UTC(2025, 3, 1);

let cleanup: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

/** A crash file as `npm run venue -- --scenario FILE` reads it: BTC −8% over a minute. */
function crashFile(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-drill-')), 'btc-crash.json');
  fs.writeFileSync(file, JSON.stringify({ name: 'BTC −8% in a minute', symbols: { [BTC]: { path: [{ at: 0, change: 0 }, { at: 60, change: -8 }] } } }));
  return file;
}

/**
 * For a 0.5 BTC isolated long at 10x (3,000 USDT margin, 120 maintenance) on 10,000 USDT: the margin ratio
 * passes 4.5% about 1.1% below entry; the equity is 10% below its peak about 4.5% below entry after the cut.
 */
const crashBreakers = (s: Settings): Settings => ({
  ...s,
  strategies: s.strategies.map((st) => ({ ...st, enabled: false })),
  breakers: { ...s.breakers, marginRatioWarnPct: 4.2, marginRatioEmergencyPct: 4.5, marginRatioReduceFraction: 0.3, maxDrawdownPct: 10, liquidationDistancePct: 1, maxTotalMarginPct: 100 },
});

const typesOf = (entries: JournalEntry[], id: string) => entries.filter((e) => e.type.startsWith('breaker.') && (e.data as { id?: string }).id === id);

describe('a crash drill played by the venue (--scenario), met by the live path through ccxt', () => {
  it('the margin-ratio breaker cuts a hand-opened long by 30% reduce-only, then the drawdown breaker flattens the account', async () => {
    const v = await venue({ speed: 0, seed: 5, startTime: START, scenario: loadScenarioFile(crashFile()), scenarioAtS: 20 });
    cleanup.push(() => v.close());
    v.advanceTo(START + 5_000);
    const outsider = restClient(v);
    await outsider.loadMarkets();
    await outsider.setMarginMode('isolated', BTC);
    await outsider.setLeverage(10, BTC);
    await outsider.createOrder(BTC, 'market', 'buy', 0.5);

    const { engine, journal } = venueEngine(v, { settings: crashBreakers });
    cleanup.push(() => engine.stop());
    await engine.start();
    await waitFor(() => engine.trading.book.positionViews().some((p) => p.symbol === BTC), 'the engine to see the hand-opened long');

    const flat = async () => (await outsider.fetchPositions([BTC])).every((p) => !p.contracts);
    for (let second = 6; second <= 90 && !(await flat()); second++) {
      v.advanceTo(START + second * 1_000);
      const now = v.exchange.now();
      await waitFor(() => (engine.trading.market.ticker(BTC)?.time ?? 0) > now - 1_000, `the engine to see the mark of second ${second}`);
    }
    await waitFor(flat, 'the venue to report the account flat');
    await waitFor(() => journal().some((e) => e.type === 'flatten.end'), 'the drawdown flatten to end');

    const entries = journal();
    const cut = typesOf(entries, 'margin-ratio').find((e) => e.type === 'breaker.action');
    expect(cut?.data).toMatchObject({ action: 'reduce', symbol: BTC, fraction: 0.3 });
    const trades = await outsider.fetchMyTrades(BTC);
    const firstSell = trades.find((t) => t.side === 'sell')!;
    expect(firstSell.amount).toBeCloseTo(0.15, 9);
    const cutOrder = await outsider.fetchOrder(firstSell.order!, BTC);
    expect(cutOrder.reduceOnly).toBe(true);

    const trip = typesOf(entries, 'drawdown').find((e) => e.type === 'breaker.trip');
    expect(trip?.data).toMatchObject({ action: 'flatten' });
    expect(trip!.seq).toBeGreaterThan(cut!.seq);
    expect(entries.find((e) => e.type === 'flatten.end' && e.seq > trip!.seq)?.data).toMatchObject({ flat: true });
    expect(await outsider.fetchOpenOrders(BTC)).toEqual([]);
    expect(entries.some((e) => e.type === 'liquidation')).toBe(false);
  });
});
