import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BacktestResult, BacktestSummary, BacktestTiming } from './types';

const round = (n: number, digits: number): number => Number(n.toFixed(digits));

/** The figures of the last stdout line, by their names there. */
export function lineFigures(summary: BacktestSummary, timing: BacktestTiming): Record<string, number> {
  return {
    candles: summary.candles,
    trades: summary.trades,
    wall_ms: Math.round(timing.wallMs),
    candles_per_s: timing.candlesPerS,
    return_pct: round(summary.returnPct, 4),
    max_drawdown_pct: round(summary.maxDrawdownPct, 4),
    fees: round(summary.fees, 4),
    funding: round(summary.funding, 4),
    liquidations: summary.liquidations,
  };
}

/** `backtest: candles=N trades=T wall_ms=W candles_per_s=R return_pct=X max_drawdown_pct=Y fees=F funding=G liquidations=L` */
export function backtestLine(summary: BacktestSummary, timing: BacktestTiming): string {
  return `backtest: ${Object.entries(lineFigures(summary, timing))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')}`;
}

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');
const fixed = (n: number | null, digits = 2): string => (n === null ? '—' : n.toFixed(digits));

/** The human summary table (stderr). */
export function summaryTable(result: BacktestResult): string {
  const s = result.summary;
  const rows: [string, string][] = [
    ['Strategy', `${s.strategy} on ${s.symbols.join(', ')} (${s.timeframe})`],
    ['Period', `${iso(s.from)} → ${iso(s.to)}${result.cancelled ? ' (cancelled)' : ''}`],
    ['Candles', String(s.candles)],
    ['Trades', `${s.trades} (win rate ${fixed(s.winRatePct, 1)}%, ${s.entriesRefused} entries refused)`],
    ['Balance', `${fixed(s.startBalance)} → ${fixed(s.finalEquity)} USDT (${fixed(s.returnPct)}%)`],
    ['Max drawdown', `${fixed(s.maxDrawdownPct)}%`],
    ['PnL / fees / funding', `${fixed(s.pnl)} / ${fixed(s.fees)} / ${fixed(s.funding)} USDT`],
    ['Profit factor', fixed(s.profitFactor)],
    ['Expectancy', `${fixed(s.expectancyR, 3)} R`],
    ['Sharpe / Sortino', `${fixed(s.sharpe)} / ${fixed(s.sortino)}`],
    ['Exposure', `${fixed(s.exposurePct, 1)}% of bars`],
    ['Longest losing streak', String(s.longestLosingStreak)],
    ['Liquidations', String(s.liquidations)],
    ['Breaker trips', result.breakerTrips.length ? result.breakerTrips.map((t) => `${t.breaker} at ${iso(t.time)}`).join(', ') : 'none'],
    ['Speed', `${result.timing.candlesPerS} candles/s (${Math.round(result.timing.wallMs)} ms)`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/**
 * Writes `summary.json` (the run's figures and its breaker trips), `trades.json`,
 * `equity.json` (time, equity, drawdown per bar) and `run.json` (timing, the one
 * figure that differs between identical runs) into `dir`.
 */
export async function writeOutputs(dir: string, result: BacktestResult): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'summary.json'), `${JSON.stringify({ ...result.summary, cancelled: result.cancelled, breakerTrips: result.breakerTrips }, null, 2)}\n`);
  writeFileSync(path.join(dir, 'trades.json'), `${JSON.stringify(result.trades, null, 2)}\n`);
  writeFileSync(path.join(dir, 'run.json'), `${JSON.stringify({ wall_ms: Math.round(result.timing.wallMs), candles_per_s: result.timing.candlesPerS }, null, 2)}\n`);
  const stream = createWriteStream(path.join(dir, 'equity.json'));
  const { time, equity, drawdownPct } = result.equity;
  stream.write('[\n');
  for (let i = 0; i < time.length; i++) {
    const row = `${JSON.stringify({ time: time[i], equity: equity[i], drawdown: drawdownPct[i] })}${i === time.length - 1 ? '' : ','}\n`;
    if (!stream.write(row)) await once(stream, 'drain');
  }
  stream.end(']\n');
  await once(stream, 'finish');
}
