import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FundingPayment, FundingSummary } from '../../../shared/domain';
import { flush, paperEngine, START } from '../testing/paper-engine';
import { utcDayStart } from '../../../shared/risk/funding';
import { FundingService, SETTLEMENT_SETTLE_MS } from './funding-service';

const BTC = 'BTC/USDT:USDT';
const HOUR = 3_600_000;

/** A service over a scripted payment history, with its clock and what it published. */
function service(payments: FundingPayment[], file: string | null = null) {
  const clock = { now: START + 9 * HOUR };
  const published: FundingSummary[] = [];
  const asked: number[] = [];
  const reports: string[] = [];
  const funding = new FundingService({
    adapter: { fetchFundingPayments: async (since) => (asked.push(since), payments.filter((p) => p.time >= since)) },
    now: () => clock.now,
    publish: (s) => published.push(s),
    report: (type) => reports.push(type),
    file,
  });
  return { funding, clock, published, asked, reports };
}

describe('funding accounting', () => {
  it('counts a position’s funding from when it opened and the account’s from 00:00 UTC', async () => {
    const s = service([
      { symbol: BTC, amount: -2, time: START },
      { symbol: 'ETH/USDT:USDT', amount: 0.5, time: START + 8 * HOUR },
      { symbol: BTC, amount: -1.25, time: START + 16 * HOUR },
    ]);
    s.clock.now = START + 10 * HOUR;
    s.funding.observePositions([BTC]);
    s.clock.now = START + 17 * HOUR;
    await s.funding.refresh();
    expect(s.asked).toEqual([START]);
    expect(s.funding.summary()).toEqual({ today: -2.75, positions: [{ symbol: BTC, openedAt: START + 10 * HOUR, net: -1.25 }], updatedAt: START + 17 * HOUR });
    s.funding.observePositions([]);
    expect(s.published.at(-1)!.positions).toEqual([]);
  });

  it('reads the payments again a few seconds after the settlement a ticker announced, not before', async () => {
    const s = service([]);
    s.clock.now = 0;
    const at = START + 16 * HOUR;
    s.funding.observeTicker({ nextFundingTime: at, time: at - HOUR });
    s.funding.observeTicker({ nextFundingTime: at, time: at + SETTLEMENT_SETTLE_MS - 1 });
    await flush();
    expect(s.asked).toEqual([]);
    s.funding.observeTicker({ nextFundingTime: at + 8 * HOUR, time: at + SETTLEMENT_SETTLE_MS });
    await flush();
    expect(s.asked, 'on the exchange’s clock, which a sped-up paper exchange runs ahead of the wall clock').toEqual([utcDayStart(at)]);
    s.funding.observeTicker({ nextFundingTime: at + 8 * HOUR, time: at + SETTLEMENT_SETTLE_MS + 1_000 });
    await flush();
    expect(s.asked).toHaveLength(1);
    s.funding.observePositions([BTC]);
    expect(s.funding.summary().positions[0]!.openedAt).toBe(at + SETTLEMENT_SETTLE_MS + 1_000);
  });

  it('keeps each position’s opening time across a restart, and reports an unreadable file or a failed read without throwing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'funding-'));
    const file = path.join(dir, 'funding-paper.json');
    const first = service([], file);
    first.funding.observePositions([BTC]);
    const again = service([], file);
    expect(again.funding.summary().positions).toEqual([{ symbol: BTC, openedAt: START + 9 * HOUR, net: 0 }]);
    fs.writeFileSync(file, '{not json');
    const broken = service([], file);
    expect(broken.reports).toEqual(['funding.file.unreadable']);
    expect(broken.funding.summary().positions).toEqual([]);
    const failing = new FundingService({ adapter: { fetchFundingPayments: () => Promise.reject(new Error('503')) }, now: () => START, publish: () => undefined, report: (t) => broken.reports.push(t), file: null });
    await failing.refresh();
    expect(broken.reports.at(-1)).toBe('funding.read.error');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('funding on a paper engine', () => {
  it('a long held across the 08:00 settlement shows the funding it paid, as the exchange booked it, and the day’s total', async () => {
    const h = await paperEngine();
    h.paper.sim.advanceTo(START + 8 * HOUR - 60_000);
    await h.engine.start();
    const proposal = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    await h.engine.handlers['proposal.approve']({ id: proposal.id });
    await flush();
    expect(proposal.fundingPer8h).toBeCloseTo(proposal.notional * h.engine.trading.market.ticker(BTC)!.fundingRate, 6);
    h.paper.sim.advanceTo(START + 8 * HOUR + 10_000);
    await flush(5);
    h.advance(1_000);
    await expect.poll(() => h.last('funding')?.positions[0]?.net ?? 0).not.toBe(0);
    const paid = h.paper.sim.fundingPayments(BTC);
    expect(paid).toHaveLength(1);
    const summary = h.last('funding')!;
    expect(summary.positions).toEqual([expect.objectContaining({ symbol: BTC, net: paid[0]!.payment })]);
    expect(summary.today).toBeCloseTo(paid[0]!.payment, 9);
    expect(h.engine.trading.snapshot().funding).toMatchObject({ positions: [{ symbol: BTC, net: paid[0]!.payment }] });
  });
});
