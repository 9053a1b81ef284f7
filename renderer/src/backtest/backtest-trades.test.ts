import { describe, expect, it } from 'vitest';
import type { BacktestTradeView } from '../../../shared/domain';
import { backtestMarkers, sortTrades, tradesCsv } from './backtest-trades';

const BTC = 'BTC/USDT:USDT';
const trade = (over: Partial<BacktestTradeView>): BacktestTradeView => ({
  symbol: BTC,
  side: 'long',
  qty: 0.01,
  leverage: 2,
  entryTime: 60_000,
  entryPrice: 100,
  stop: 98,
  takeProfit: 104,
  exitTime: 180_000,
  exitPrice: 104,
  exitReason: 'take-profit',
  pnl: 4,
  fees: 0.1,
  funding: 0,
  net: 3.9,
  r: 1.95,
  entryReason: 'pullback',
  exitNote: null,
  ...over,
});

describe('the backtest trade list', () => {
  const a = trade({ entryTime: 3, net: -1, r: -0.5, symbol: 'ETH/USDT:USDT' });
  const b = trade({ entryTime: 1, net: 5, r: null });
  const c = trade({ entryTime: 2, net: 2, r: 1 });

  it('sorts by a column either way, ties in their order, a missing R last', () => {
    expect(sortTrades([a, b, c], 'entryTime', false)).toEqual([b, c, a]);
    expect(sortTrades([a, b, c], 'net', true)).toEqual([b, c, a]);
    expect(sortTrades([a, b, c], 'r', false)).toEqual([a, c, b]);
    expect(sortTrades([a, b, c], 'r', true)).toEqual([c, a, b]);
    expect(sortTrades([a, b, c], 'symbol', false)).toEqual([b, c, a]);
  });

  it('exports CSV with a header and quotes what needs it', () => {
    const csv = tradesCsv([trade({ entryReason: 'say "hi", then go', exitNote: null })]);
    const [header, row] = csv.trimEnd().split('\n');
    expect(header).toBe('symbol,side,qty,leverage,entryTime,entryPrice,stop,takeProfit,exitTime,exitPrice,exitReason,pnl,fees,funding,net,r,entryReason,exitNote');
    expect(row).toBe('BTC/USDT:USDT,long,0.01,2,60000,100,98,104,180000,104,take-profit,4,0.1,0,3.9,1.95,"say ""hi"", then go",');
  });

  it('marks each trade of the chart’s symbol on the chart: entry on its bar, exit with its reason, in time order', () => {
    const markers = backtestMarkers([trade({ entryTime: 150_000, exitTime: 400_000, exitReason: 'stop', net: -2 }), trade({ symbol: 'ETH/USDT:USDT' }), trade({ side: 'short', entryTime: 0, exitTime: 61_000 })], BTC, 60_000);
    expect(markers.map((m) => [m.time, m.position, m.shape, m.text])).toEqual([
      [0, 'aboveBar', 'arrowDown', 'BT short'],
      [60, 'belowBar', 'circle', 'TP'],
      [120, 'belowBar', 'arrowUp', 'BT long'],
      [360, 'aboveBar', 'circle', 'SL'],
    ]);
  });
});
