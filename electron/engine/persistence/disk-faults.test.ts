import { describe, expect, it } from 'vitest';
import type { DataDiskStatus } from '../../../shared/domain';
import { dispatch } from '../dispatch';
import type { ExchangeAdapter } from '../exchange/adapter';
import { FailingDisk, WRITE_FAILURES } from '../testing/failing-disk';
import { flush, paperEngine } from '../testing/paper-engine';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

const CAUSE: Record<(typeof WRITE_FAILURES)[number], string> = {
  ENOSPC: 'Data disk full: ',
  EIO: 'Data disk input/output error: ',
  EPERM: 'Data folder not writable (permission denied): ',
};

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await flush();
  if (!condition()) throw new Error(`never happened: ${what}`);
}

/** An engine on the paper exchange with two protected positions the bot opened, whose data folder is on a disk the test can break. */
async function engineWithPositions(options: { wrap?: (adapter: ExchangeAdapter, disk: FailingDisk) => ExchangeAdapter } = {}) {
  const disk = new FailingDisk();
  const h = await paperEngine({ disk: disk.disk, ...(options.wrap ? { wrap: (paper) => options.wrap!(paper, disk) } : {}) });
  await h.engine.start();
  const open = async (symbol: string, stop: number, takeProfit: number) => {
    const proposal = await h.engine.handlers['proposal.create']({ symbol, side: 'long', stop, takeProfit, leverage: 5 });
    return h.engine.handlers['proposal.approve']({ id: proposal.id });
  };
  return { ...h, disk, open, status: () => h.last('dataDisk') as DataDiskStatus | undefined };
}

const openOnExchange = (h: Awaited<ReturnType<typeof engineWithPositions>>) =>
  h.paper.sim
    .positions()
    .filter((p) => p.positionAmt !== 0)
    .map((p) => p.symbol);

describe.each(WRITE_FAILURES)('the engine on a paper exchange when its data disk refuses writes (%s)', (code) => {
  it('flattens everything, says the exchange is flat and the journal failed beside it, and its view follows the exchange', async () => {
    const h = await engineWithPositions();
    await h.open(BTC, 58_800, 62_400);
    await h.open(ETH, 2_940, 3_120);
    expect(openOnExchange(h)).toHaveLength(2);
    h.disk.fail(code);

    const result = await dispatch(h.engine.handlers, 'flatten', { reason: 'panic button' });

    expect(result).toMatchObject({ ok: true, value: { flat: true, remaining: [] } });
    expect((result as { value: { journalFailure: string } }).value.journalFailure).toContain(code);
    expect(openOnExchange(h)).toEqual([]);
    expect(h.paper.sim.openOrders(undefined, 'all')).toEqual([]);
    await until(() => h.engine.trading.book.positionViews().length === 0 && h.engine.trading.book.openOrders().length === 0, 'the view to follow the exchange');
    expect(h.last('positions')).toEqual([]);
    expect(h.last('orders')).toEqual([]);
    expect(h.last('account')?.effectiveLeverage).toBe(0);
    const titles = h.events.filter((e) => e.event === 'notification').map((e) => (e.payload as { title: string }).title);
    expect(titles).toContain('Flattened');
    expect(titles.some((t) => /flatten (failed|incomplete)/i.test(t))).toBe(false);
    expect(h.status()).toMatchObject({ writable: false, code, message: expect.stringMatching(new RegExp(`^${escape(CAUSE[code])}.*the journal.* cannot be written$`)) });
  });

  it('refuses new entries with the cause, while closes, stop moves and a second flatten still run; once the disk takes writes again, entries are allowed', async () => {
    const h = await engineWithPositions();
    await h.open(BTC, 58_800, 62_400);
    await h.open(ETH, 2_940, 3_120);
    const pending = await h.engine.handlers['proposal.create']({ symbol: 'SOL/USDT:USDT', side: 'long', stop: 147, takeProfit: 156, leverage: 5 });
    h.disk.fail(code);
    await expect(h.engine.handlers['proposal.approve']({ id: pending.id })).rejects.toThrow(CAUSE[code]);
    expect(await dispatch(h.engine.handlers, 'flatten', {})).toMatchObject({ ok: true, value: { flat: true } });

    const refused = await dispatch(h.engine.handlers, 'proposal.create', { symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    expect(refused).toMatchObject({ ok: false, error: { type: 'refused', message: expect.stringContaining(`${CAUSE[code]}`) } });
    expect((refused as { error: { message: string } }).error.message).toContain('new entries are refused');
    expect(openOnExchange(h)).toEqual([]);

    h.disk.heal();
    expect(h.engine.dataDisk.probe()).toBe(true);
    await h.open(BTC, 58_800, 62_400);
    h.disk.fail(code);
    expect(await dispatch(h.engine.handlers, 'order.move', { symbol: BTC, purpose: 'stop', price: 59_400 })).toMatchObject({ ok: true, value: { triggerPrice: 59_400 } });
    expect(h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET').map((o) => o.stopPrice)).toEqual([59_400]);
    expect(await dispatch(h.engine.handlers, 'position.close', { symbol: BTC })).toMatchObject({ ok: true });
    expect(openOnExchange(h)).toEqual([]);
    expect(await dispatch(h.engine.handlers, 'flatten', {})).toMatchObject({ ok: true, value: { flat: true } });

    expect(h.status()).toMatchObject({ writable: false });
    expect(h.engine.dataDisk.probe()).toBe(false);
    h.disk.heal();
    expect(h.engine.dataDisk.probe()).toBe(true);
    expect(h.status()).toMatchObject({ writable: true, message: null });
    const allowed = await h.engine.handlers['proposal.create']({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    expect(allowed.verdict.violations.map((v) => v.rule)).not.toContain('data-disk');
    expect(allowed.status).not.toBe('refused');
  });

  it.each([
    ['the execution ledger', 'executions'],
    ['the whole data folder', undefined],
  ])('puts the stop on a filled entry when %s cannot be written after the fill', async (_what, pathContains) => {
    const h = await engineWithPositions({
      wrap: (paper, disk) => ({
        ...paper,
        createOrder: async (request) => {
          const order = await paper.createOrder(request);
          if (!request.reduceOnly) disk.fail(code, pathContains ? { pathContains } : {});
          return order;
        },
      }),
    });
    const result = await h.open(BTC, 58_800, 62_400);
    expect(result.proposal.status).toBe('executed');
    const position = h.paper.sim.positions().find((p) => p.symbol === BTC)!;
    expect(position.positionAmt).toBeGreaterThan(0);
    const stops = h.paper.sim.openOrders(BTC, 'all').filter((o) => o.type === 'STOP_MARKET');
    expect(stops).toHaveLength(1);
    expect(stops[0]).toMatchObject({ stopPrice: 58_800, reduceOnly: true });
    expect(stops[0]!.origQty).toBe(position.positionAmt);
    expect(h.disk.failed.length).toBeGreaterThan(0);
    expect(h.status()).toMatchObject({ writable: false, code });
  });

  it('blocks every new entry through the entry gates, with the cause, when only the execution ledger cannot be written', async () => {
    const h = await engineWithPositions();
    h.disk.fail(code, { pathContains: 'executions' });
    h.engine.trading.ledger.remove('none');
    h.engine.trading.ledger.put({ operation: 'x', proposalId: 'x', symbol: 'XRP/USDT:USDT', side: 'long', stop: 0.5, takeProfit: 0.7, stage: 'protected', updatedAt: 0 });
    expect(h.status()).toMatchObject({ writable: false, code, concerns: ['the execution ledger'] });
    const proposal = await h.engine.trading.createManual({ symbol: BTC, side: 'long', stop: 58_800, takeProfit: 62_400, leverage: 5 });
    expect(proposal.verdict.violations).toEqual([expect.objectContaining({ rule: 'data-disk', message: expect.stringContaining(`${CAUSE[code]}the execution ledger cannot be written`) })]);
  });
});
