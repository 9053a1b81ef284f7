import { describe, expect, it } from 'vitest';
import type { BreakerView } from '../../../shared/domain';
import type { Engine } from '../engine';
import { paperEngine } from '../testing/paper-engine';
import { createSimExchange } from '../sim/sim-exchange';
import { defaultMarkets } from '../sim/markets';
import { venue, venueEngine, waitFor } from '../testing/venue-engine';

const tripped = async (engine: Engine): Promise<BreakerView[]> => (await engine.handlers['session.snapshot']({})).breakers.filter((b) => b.state === 'tripped');
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('transfers are not losses', () => {
  it('a 30% withdrawal trips nothing and moves the baselines; a real loss after it is measured from the new equity', async () => {
    const h = await paperEngine();
    await h.engine.start();
    h.advance(1_000);
    await settle();
    expect(h.engine.trading.book.accountState().equity).toBe(10_000);

    h.paper.sim.adjustBalance(-3_000);
    await waitFor(() => h.engine.trading.book.accountState().equity === 7_000, 'the engine to see the withdrawal');
    await settle();
    expect(await tripped(h.engine)).toEqual([]);
    expect(h.journal().filter((e) => e.type === 'account.transfer').map((e) => e.data)).toEqual([{ id: expect.any(String), time: expect.any(Number), amount: -3_000 }]);
    expect(h.journal().map((e) => e.type)).not.toContain('breaker.trip');

    h.paper.sim.adjustBalance(-400);
    await waitFor(() => h.engine.trading.book.accountState().equity === 6_600, 'the second withdrawal');
    await settle();
    expect(await tripped(h.engine), 'a second transfer is read too').toEqual([]);

    h.engine.bus.emit('account', { ...h.engine.trading.book.accountState(), equity: 6_200, walletBalance: 6_200 });
    await settle();
    expect((await tripped(h.engine)).map((b) => b.id)).toContain('daily-loss');
  });

  it('a deposit moves the day start up, so money moved in is never counted as a gain that hides a loss', async () => {
    const h = await paperEngine();
    await h.engine.start();
    h.advance(1_000);
    await settle();
    h.advance(120_000);
    h.paper.sim.adjustBalance(5_000);
    await waitFor(() => h.engine.trading.book.accountState().equity === 15_000, 'the engine to see the deposit');
    await settle();
    h.engine.bus.emit('account', { ...h.engine.trading.book.accountState(), equity: 14_500, walletBalance: 14_500 });
    await settle();
    expect((await tripped(h.engine)).map((b) => b.id), 'down 500 of 15,000 (3.3%): under the 5% daily limit').toEqual([]);
    h.engine.bus.emit('account', { ...h.engine.trading.book.accountState(), equity: 14_000, walletBalance: 14_000 });
    await settle();
    expect((await tripped(h.engine)).map((b) => b.id), 'down 1,000 of 15,000 (6.7%), though above the 10,000 the day started with').toContain('daily-loss');
  });

  it('against the venue: a 30% withdrawal, read from its income history (TRANSFER), trips nothing', async () => {
    const sim = createSimExchange({ markets: defaultMarkets(), feed: { next: () => ({ price: 60_000, volume: 1 }) }, startTime: Date.now(), startBalance: 10_000, seed: 4 });
    const v = await venue({ exchange: sim });
    const { engine, journal } = venueEngine(v);
    try {
      await engine.start();
      await waitFor(() => engine.trading.book.accountState().equity === 10_000, 'the account');
      sim.adjustBalance(-3_000);
      await engine.trading.reconcile('test');
      await waitFor(() => engine.trading.book.accountState().equity === 7_000, 'the engine to see the withdrawal');
      await waitFor(() => journal().some((e) => e.type === 'account.transfer'), `the withdrawal read from the income history: ${JSON.stringify(journal().filter((e) => /transfer|breaker/.test(e.type)))}`);
      await settle();
      expect(journal().find((e) => e.type === 'account.transfer')?.data).toMatchObject({ amount: -3_000 });
      expect(await tripped(engine)).toEqual([]);
      expect(journal().map((e) => e.type)).not.toContain('breaker.trip');
      expect(journal().map((e) => e.type)).not.toContain('flatten.start');
    } finally {
      await engine.stop();
      await v.close();
    }
  }, 30_000);
});
