import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../dispatch';
import { createTenMarketExchange, openProtectedPosition, tenMarkets } from '../flatten/flatten-fixtures';
import type { SimExchange } from '../sim/types';
import { FailingDisk, WRITE_FAILURES } from '../testing/failing-disk';
import { venue, venueEngine, waitFor } from '../testing/venue-engine';

let closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  closers = [];
});

const SYMBOLS = tenMarkets().markets.map((m) => m.symbol);
const openOn = (sim: SimExchange) => sim.positions().filter((p) => p.positionAmt !== 0);

describe.each(WRITE_FAILURES)('the engine against the venue when its data disk refuses writes (%s)', (code) => {
  it('flattens every position, reports the exchange flat and the journal failure beside it, its view follows the venue, and a close and a second flatten still work', async () => {
    const sim = createTenMarketExchange({ seed: 31 });
    SYMBOLS.slice(0, 3).forEach((symbol, i) => openProtectedPosition(sim, symbol, i % 2 ? 'short' : 'long'));
    const v = await venue({ exchange: sim, latencyMs: 2 });
    closers.push(() => v.close());
    const disk = new FailingDisk();
    const { engine } = venueEngine(v, { settings: (s) => ({ ...s, symbols: SYMBOLS }), disk: disk.disk });
    closers.push(() => engine.stop());
    await engine.start();
    await waitFor(() => engine.trading.book.positionViews().length === 3, 'the engine to see the three positions');
    disk.fail(code);

    const first = await dispatch(engine.handlers, 'flatten', { reason: 'panic button' });
    expect(first).toMatchObject({ ok: true, value: { flat: true, remaining: [] } });
    expect((first as { value: { journalFailure: string } }).value.journalFailure).toContain(code);
    expect(openOn(sim)).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
    await waitFor(() => engine.trading.book.positionViews().length === 0 && engine.trading.book.openOrders().length === 0, 'the engine to see the account flat');
    expect(engine.dataDisk.status()).toMatchObject({ writable: false, code });

    openProtectedPosition(sim, SYMBOLS[4]!, 'long');
    await engine.trading.reconcile('test');
    expect(await dispatch(engine.handlers, 'position.close', { symbol: SYMBOLS[4]! })).toMatchObject({ ok: true });
    expect(openOn(sim)).toEqual([]);
    openProtectedPosition(sim, SYMBOLS[5]!, 'short');
    expect(await dispatch(engine.handlers, 'flatten', {})).toMatchObject({ ok: true, value: { flat: true } });
    expect(openOn(sim)).toEqual([]);
    expect(sim.openOrders(undefined, 'all')).toEqual([]);
  });
});
