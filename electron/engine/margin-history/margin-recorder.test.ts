import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../shared/settings';
import { flush, openBtcLong, paperEngine } from '../testing/paper-engine';
import { MARGIN_BUCKET_MS } from './margin-history';
import { MarginHistoryFile } from './margin-history-file';
import { MarginRecorder } from './margin-recorder';

const BTC = 'BTC/USDT:USDT';

const marginRatioLevels = (warn: number, emergency: number) => (s: Settings) => ({ ...s, breakers: { ...s.breakers, marginRatioWarnPct: warn, marginRatioEmergencyPct: emergency } });

async function openLong(options: Parameters<typeof paperEngine>[0] = {}) {
  const h = await paperEngine(options);
  await openBtcLong(h);
  return h;
}

describe('the engine’s margin history', () => {
  it('samples the margin ratio and the position’s liquidation distance as the mark moves, worst kept per bucket', async () => {
    const h = await openLong();
    h.setPrice(BTC, 59_500);
    h.setPrice(BTC, 60_500);
    await flush(5);
    const view = await h.engine.handlers['margin.history']({});
    const bucket = view.buckets.at(-1)!;
    const position = h.engine.trading.book.positionViews()[0]!;
    expect(bucket.distances[BTC]).toBeLessThan(position.distanceToLiquidationPct!);
    expect(bucket.worstDistanceSymbol).toBe(BTC);
    expect(bucket.worstMarginRatioPct).toBeGreaterThan(0);
    expect(view.day.worstDistancePct).toBe(bucket.worstDistancePct);
  });

  it('counts a margin-ratio warning once per time it starts, and each cut the breaker makes', async () => {
    const warned = await openLong({ settings: marginRatioLevels(0.5, 90) });
    await flush(5);
    warned.setPrice(BTC, 59_900);
    warned.setPrice(BTC, 59_950);
    await flush(5);
    const warning = await warned.engine.handlers['margin.history']({});
    expect(warning.day).toMatchObject({ warnings: 1, cuts: 0 });

    const cut = await openLong({ settings: marginRatioLevels(0.5, 1) });
    for (let i = 0; i < 50 && (await cut.engine.handlers['margin.history']({})).day.cuts === 0; i++) await flush(2);
    const view = await cut.engine.handlers['margin.history']({});
    expect(view.day.cuts).toBeGreaterThanOrEqual(1);
    expect(view.events.find((e) => e.kind === 'cut')).toMatchObject({ symbol: BTC, detail: expect.stringContaining('cut by') });
  });

  it('is kept per account on disk and comes back after a restart', async () => {
    const first = await openLong();
    first.advance(MARGIN_BUCKET_MS);
    first.setPrice(BTC, 59_000);
    await flush(5);
    const before = await first.engine.handlers['margin.history']({});
    await first.engine.stop();
    const file = path.join(first.dataDir, 'margin-history-paper.json');
    expect(fs.existsSync(file)).toBe(true);

    const again = await paperEngine({ dataDir: first.dataDir });
    const after = await again.engine.handlers['margin.history']({});
    expect(after.buckets).toEqual(before.buckets);
  });

  it('moves an unreadable file aside and starts empty, saying so in the journal', async () => {
    const first = await paperEngine();
    const file = path.join(first.dataDir, 'margin-history-paper.json');
    fs.writeFileSync(file, '{ not json');
    const h = await paperEngine({ dataDir: first.dataDir });
    expect((await h.engine.handlers['margin.history']({})).buckets).toEqual([]);
    await h.engine.start();
    expect(fs.readdirSync(first.dataDir).some((f) => f.startsWith('margin-history-paper.json.unreadable-'))).toBe(true);
    expect(h.journal().some((e) => e.type === 'margin-history.unreadable')).toBe(true);
  });
});

describe('a margin history that cannot be written', () => {
  it('never stops the cut it counts: the failure is reported and the history kept in memory', () => {
    const reports: string[] = [];
    const recorder = new MarginRecorder({
      book: { onChange: () => () => undefined, accountState: () => { throw new Error('not sampled here'); }, positionViews: () => [] },
      bus: { subscribe: () => () => undefined },
      file: Object.assign(new MarginHistoryFile(null), {
        save: () => {
          throw new Error('ENOSPC: no space left on device');
        },
      }),
      now: () => 1_000,
      report: (type) => reports.push(type),
    });
    expect(() => recorder.recordCut(BTC, 0.3, 'margin ratio past emergency')).not.toThrow();
    expect(reports).toEqual(['margin-history.write.error']);
    expect(recorder.view().day.cuts).toBe(1);
  });
});
