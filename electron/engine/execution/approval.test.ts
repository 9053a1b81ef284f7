import { describe, expect, it } from 'vitest';
import type { Ticker } from '../../../shared/domain';
import { paperEngine } from '../testing/paper-engine';

const BTC = 'BTC/USDT:USDT';
const TICKET = { symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 } as const;

/** A promise the test settles, to hold an exchange answer back. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('no second entry on a symbol that is taken', () => {
  it('two tickets for one symbol sent at once give one proposal: the symbol is checked again after the price read', async () => {
    const price = gate();
    let reads = 0;
    const h = await paperEngine({
      wrap: (paper) => ({
        ...paper,
        fetchTicker: async (symbol: string): Promise<Ticker> => {
          reads += 1;
          await price.opened;
          return paper.fetchTicker(symbol);
        },
      }),
    });
    await h.engine.start();
    const first = h.engine.handlers['proposal.create']({ ...TICKET });
    const second = h.engine.handlers['proposal.create']({ ...TICKET });
    while (reads < 2) await new Promise((resolve) => setImmediate(resolve));
    price.open();

    const outcomes = await Promise.allSettled([first, second]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o) => o.status === 'rejected');
    expect(refused).toMatchObject({ reason: { extra: { code: 'symbol-taken' }, message: expect.stringMatching(/already has an open position or a live proposal/) } });
    expect(h.engine.trading.proposals.list().filter((p) => p.symbol === BTC)).toHaveLength(1);
  });

  it('two pending proposals on one symbol approved at once open one entry, covered by one stop for its full size', async () => {
    const h = await paperEngine();
    await h.engine.start();
    const first = await h.engine.handlers['proposal.create']({ ...TICKET });
    // The twin a racing creation used to leave behind.
    const twin = { ...first, id: `${first.id.slice(0, 12)}twin` };
    h.engine.trading.proposals.book.add(twin);

    const outcomes = await Promise.allSettled([h.engine.handlers['proposal.approve']({ id: first.id }), h.engine.handlers['proposal.approve']({ id: twin.id })]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((o) => o.status === 'rejected')).toMatchObject({ reason: { extra: { code: 'symbol-taken' } } });
    expect(h.engine.trading.proposals.get(twin.id)).toMatchObject({ status: 'refused', statusReason: expect.stringMatching(/Another approved entry on BTC\/USDT:USDT/) });

    const [position] = await h.paper.fetchPositions();
    expect(position).toMatchObject({ symbol: BTC, contracts: first.quantity });
    const stops = h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops.map((o) => [o.origQty, o.reduceOnly])).toEqual([[first.quantity, true]]);
    expect(h.paper.sim.fills().filter((f) => /-e-\d+$/.test(f.clientOrderId))).toHaveLength(1);
  });

  it('an approval is refused while the exchange holds a position on the symbol, one opened by hand included', async () => {
    const h = await paperEngine();
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ ...TICKET });
    await h.paper.createOrder({ symbol: BTC, side: 'buy', type: 'market', amount: 0.01, reduceOnly: false, clientOrderId: 'by-hand-1' });

    await expect(h.engine.handlers['proposal.approve']({ id: proposal.id })).rejects.toMatchObject({ extra: { code: 'symbol-taken' } });
    expect(h.engine.trading.proposals.get(proposal.id)).toMatchObject({ status: 'refused', statusReason: expect.stringMatching(/already has an open position/) });
    expect(await h.paper.fetchPositions()).toEqual([expect.objectContaining({ symbol: BTC, contracts: 0.01 })]);
  });
});
