import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../../../shared/domain';
import { KELLY_MAX_TRADES, KELLY_MIN_TRADES, RECORD_MAX_TRADES, TradeRecord } from './trade-record';

const BTC = 'BTC/USDT:USDT';
let order = 0;
const fill = (realizedPnl: number, time: number): Fill => ({
  orderId: `o${++order}`,
  clientOrderId: `c${order}`,
  symbol: BTC,
  side: realizedPnl === 0 ? 'buy' : 'sell',
  price: 60_000,
  amount: 0.01,
  fee: 0,
  realizedPnl,
  time,
});

/** One round trip on BTC: open, close with `netPnl`, flat. */
function trade(record: TradeRecord, netPnl: number, time = 0): void {
  record.onPositions([BTC]);
  record.onFill(fill(0, time));
  record.onFill(fill(netPnl, time + 1));
  record.onPositions([]);
}

const tempFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cockpit-trades-')), 'trades-paper.json');

describe('the trade record behind the Kelly suggestion', () => {
  it('offers no figures until enough trades have closed', () => {
    const record = new TradeRecord(null);
    expect(record.sizing(0.01)).toEqual({ trades: 0, minTrades: KELLY_MIN_TRADES, riskCap: 0.01, kelly: null });
    for (let i = 0; i < KELLY_MIN_TRADES - 1; i++) trade(record, 100);
    expect(record.sizing(0.01)).toMatchObject({ trades: KELLY_MIN_TRADES - 1, kelly: null });
  });

  it('computes full, ½ and ¼ Kelly from the win rate and average win and loss of the closed trades', () => {
    const record = new TradeRecord(null);
    for (let i = 0; i < 12; i++) trade(record, 100, i * 10);
    for (let i = 0; i < 8; i++) trade(record, -50, 1_000 + i * 10);
    // p = 0.6, b = 100 / 50 = 2: f* = 0.6 − 0.4 / 2 = 0.4
    const open = record.sizing(1).kelly!;
    expect(open).toMatchObject({ winRate: 0.6, averageWin: 100, averageLoss: 50 });
    expect(open.full).toBeCloseTo(0.4, 12);
    expect(open.half).toBeCloseTo(0.2, 12);
    expect(open.quarter).toBeCloseTo(0.1, 12);
  });

  it('never suggests more than the configured risk per trade', () => {
    const record = new TradeRecord(null);
    for (let i = 0; i < 12; i++) trade(record, 100);
    for (let i = 0; i < 8; i++) trade(record, -50);
    expect(record.sizing(0.01).kelly).toMatchObject({ full: 0.01, half: 0.01, quarter: 0.01 });
    const above = record.sizing(0.15).kelly!;
    expect([above.full, above.half]).toEqual([0.15, 0.15]);
    expect(above.quarter).toBeCloseTo(0.1, 12);
  });

  it('says when a trade closes, and not for an entry or a partial close', () => {
    const record = new TradeRecord(null);
    expect(record.onPositions([BTC])).toBe(false);
    expect(record.onFill(fill(0, 1))).toBe(false);
    expect(record.onFill(fill(20, 2))).toBe(false);
    expect(record.onPositions([BTC])).toBe(false);
    expect(record.onPositions([])).toBe(true);
    expect(record.sizing(0.01).trades).toBe(1);
  });

  it('keeps the newest trades on disk, so a restart keeps the suggestion', () => {
    const file = tempFile();
    const record = new TradeRecord(file);
    for (let i = 0; i < KELLY_MAX_TRADES + 5; i++) trade(record, i % 2 ? 100 : -50, i * 10);
    const restarted = new TradeRecord(file);
    expect(restarted.sizing(1)).toEqual(record.sizing(1));
    expect(restarted.sizing(1).trades).toBe(KELLY_MAX_TRADES);
  });

  it('measures the newest 100 for Kelly, and keeps up to 1,000', () => {
    const file = tempFile();
    const record = new TradeRecord(file);
    for (let i = 0; i < RECORD_MAX_TRADES + 3; i++) trade(record, i % 2 ? 100 : -50, i * 10);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toHaveLength(RECORD_MAX_TRADES);
    expect(record.sizing(1).trades).toBe(KELLY_MAX_TRADES);
  });

  it('moves an unreadable file aside and starts empty', () => {
    const file = tempFile();
    fs.writeFileSync(file, '{ torn');
    expect(new TradeRecord(file).sizing(0.01).trades).toBe(0);
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('trades-paper.json.unreadable-'))).toBe(true);
  });
});

describe('each strategy’s live record in the account', () => {
  it('counts the trades a strategy opened: closed trades, win rate, and average R of the money risked at entry', () => {
    const record = new TradeRecord(null);
    expect(record.liveRecord('trend-pullback')).toBeNull();
    record.opened(BTC, 'trend-pullback', 50);
    trade(record, 100);
    record.opened(BTC, 'trend-pullback', 50);
    trade(record, -50);
    record.opened(BTC, 'manual', 20);
    trade(record, 40);
    trade(record, 10);
    expect(record.liveRecord('trend-pullback')).toEqual({ closedTrades: 2, winRate: 0.5, averageR: 0.5 });
    expect(record.liveRecord('manual')).toEqual({ closedTrades: 1, winRate: 1, averageR: 2 });
    expect(record.sizing(0.01).trades).toBe(4);
  });

  it('survives a restart', () => {
    const file = tempFile();
    const record = new TradeRecord(file);
    record.opened(BTC, 'file:jump.ts', 25);
    trade(record, -25);
    expect(new TradeRecord(file).liveRecord('file:jump.ts')).toEqual({ closedTrades: 1, winRate: 0, averageR: -1 });
  });
});
