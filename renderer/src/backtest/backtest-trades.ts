import type { SeriesMarker, UTCTimestamp } from 'lightweight-charts';
import type { BacktestTradeView } from '../../../shared/domain';
import { palette } from '../theme/palette';

/** The columns the trade list sorts by. */
export type TradeSortKey = 'entryTime' | 'symbol' | 'side' | 'exitReason' | 'net' | 'r';

/** The trades sorted by one column, ascending or descending (ties keep their order; a missing R sorts last). */
export function sortTrades(trades: readonly BacktestTradeView[], key: TradeSortKey, descending: boolean): BacktestTradeView[] {
  const sign = descending ? -1 : 1;
  return trades
    .map((trade, index) => ({ trade, index }))
    .sort((a, b) => {
      const x = a.trade[key];
      const y = b.trade[key];
      if (x === null || y === null) return x === y ? a.index - b.index : x === null ? 1 : -1;
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return order !== 0 ? sign * order : a.index - b.index;
    })
    .map(({ trade }) => trade);
}

const CSV_COLUMNS = ['symbol', 'side', 'qty', 'leverage', 'entryTime', 'entryPrice', 'stop', 'takeProfit', 'exitTime', 'exitPrice', 'exitReason', 'pnl', 'fees', 'funding', 'net', 'r', 'entryReason', 'exitNote'] as const;

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The trades as CSV: a header row, then one row per trade (times in epoch ms, as in the JSON export). */
export function tradesCsv(trades: readonly BacktestTradeView[]): string {
  return [CSV_COLUMNS.join(','), ...trades.map((t) => CSV_COLUMNS.map((c) => csvCell(t[c])).join(','))].join('\n') + '\n';
}

const EXIT_LABEL: Record<BacktestTradeView['exitReason'], string> = {
  stop: 'SL',
  'take-profit': 'TP',
  'exit-signal': 'exit',
  liquidation: 'LIQ',
  'end-of-data': 'end',
  breaker: 'breaker',
};

/** A backtest's trades on `symbol` as chart markers: the entry on its bar (long below, short above) and the exit with its reason. */
export function backtestMarkers(trades: readonly BacktestTradeView[], symbol: string, timeframeMs: number): SeriesMarker<UTCTimestamp>[] {
  const bar = (time: number) => (Math.floor(time / timeframeMs) * timeframeMs) / 1000;
  return trades
    .filter((t) => t.symbol === symbol)
    .flatMap((t): SeriesMarker<UTCTimestamp>[] => [
      {
        time: bar(t.entryTime) as UTCTimestamp,
        position: t.side === 'long' ? 'belowBar' : 'aboveBar',
        shape: t.side === 'long' ? 'arrowUp' : 'arrowDown',
        color: palette.proposal,
        text: `BT ${t.side}`,
      },
      {
        time: bar(t.exitTime) as UTCTimestamp,
        position: t.side === 'long' ? 'aboveBar' : 'belowBar',
        shape: 'circle',
        color: t.net >= 0 ? palette.up : palette.down,
        text: EXIT_LABEL[t.exitReason],
      },
    ])
    .sort((a, b) => a.time - b.time);
}
