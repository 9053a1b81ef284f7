import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { createPaperAdapter } from '../exchange/paper-adapter';
import { MarketData } from './market-data';

const START = Date.UTC(2025, 0, 1);
const MIN = 60_000;
const BTC = 'BTC/USDT:USDT';

function setup() {
  let price = 60_000;
  const paper = createPaperAdapter({ manualClock: true, now: () => START, feed: { next: () => ({ price: (price += 10), volume: 1 }) } });
  paper.sim.advanceTo(START + 30 * MIN + 1_000);
  const market = new MarketData({ adapter: paper });
  const delivered: Candle[] = [];
  market.onClosedCandle((_s, _tf, c) => delivered.push(c));
  return { paper, market, delivered };
}

afterEach(() => vi.restoreAllMocks());

describe('market data', () => {
  it('backfills history and treats every bar but the forming one as closed', async () => {
    const { market } = setup();
    await market.backfill(BTC, '1m', 10);
    const closed = market.closedCandles(BTC, '1m', 100);
    expect(closed).toHaveLength(9);
    expect(closed.at(-1)!.time).toBe(START + 29 * MIN);
  });

  it('repairs a gap from REST before passing a later bar on, so strategies see every bar in order', async () => {
    const { paper, market, delivered } = setup();
    await market.backfill(BTC, '1m', 10);
    paper.sim.advanceTo(START + 34 * MIN + 1_000);
    const late = paper.sim.candles(BTC, '1m', { since: START + 33 * MIN, limit: 1 })[0]!;
    market.ingestCandle(BTC, '1m', late, true);
    await market.settled();
    expect(delivered.map((c) => (c.time - START) / MIN)).toEqual([30, 31, 32, 33]);
    expect(delivered[1]).toEqual(paper.sim.candles(BTC, '1m', { since: START + 31 * MIN, limit: 1 })[0]);
  });

  it('delivers each closed bar once, however often the stream repeats it', async () => {
    const { paper, market, delivered } = setup();
    await market.backfill(BTC, '1m', 10);
    paper.sim.advanceTo(START + 31 * MIN + 1_000);
    const bar = paper.sim.candles(BTC, '1m', { since: START + 30 * MIN, limit: 1 })[0]!;
    market.ingestCandle(BTC, '1m', bar, true);
    market.ingestCandle(BTC, '1m', bar, true);
    await market.settled();
    expect(delivered.map((c) => (c.time - START) / MIN)).toEqual([30]);
  });

  it('after a reconnect, fetches and delivers what the stream missed, but not the forming bar', async () => {
    const { paper, market, delivered } = setup();
    await market.backfill(BTC, '1m', 10);
    paper.sim.advanceTo(START + 35 * MIN + 1_000);
    await market.repairAll();
    expect(delivered.map((c) => (c.time - START) / MIN)).toEqual([30, 31, 32, 33, 34]);
  });

  it('reports a failed repair and carries on, even when reporting it throws: later bars are still delivered, and nothing rejects unhandled', async () => {
    let price = 60_000;
    const paper = createPaperAdapter({ manualClock: true, now: () => START, feed: { next: () => ({ price: (price += 10), volume: 1 }) } });
    paper.sim.advanceTo(START + 30 * MIN + 1_000);
    const reports: string[] = [];
    const market = new MarketData({
      adapter: paper,
      onError: (message) => {
        reports.push(message);
        throw new Error('The journal is closed');
      },
    });
    const delivered: Candle[] = [];
    market.onClosedCandle((_s, _tf, c) => delivered.push(c));
    await market.backfill(BTC, '1m', 10);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      vi.spyOn(paper, 'fetchOHLCV').mockRejectedValueOnce(new Error('adapter closed'));
      paper.sim.advanceTo(START + 33 * MIN + 1_000);
      await market.repairAll();
      paper.sim.advanceTo(START + 34 * MIN + 1_000);
      market.ingestCandle(BTC, '1m', paper.sim.candles(BTC, '1m', { since: START + 33 * MIN, limit: 1 })[0]!, true);
      await market.settled();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(reports).toEqual([`${BTC} 1m: adapter closed`]);
    expect(delivered.map((c) => (c.time - START) / MIN)).toEqual([30, 31, 32, 33]);
    expect(unhandled).toEqual([]);
  });

  it('passes mark prices to subscribers and keeps the latest ticker', () => {
    const { market } = setup();
    const marks: number[] = [];
    market.onMark((t) => marks.push(t.mark));
    market.ingestTicker({ symbol: BTC, last: 1, mark: 2, index: 2, fundingRate: 0, nextFundingTime: 0, time: 1 });
    expect(marks).toEqual([2]);
    expect(market.ticker(BTC)?.mark).toBe(2);
  });
});
