import { useMemo, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { BacktestJob, BacktestTradeView, StrategyFileView, Timeframe } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import { formatMoney, formatPct } from '../format/numbers';
import { saveAs } from '../format/save-file';
import { sortTrades, tradesCsv, type TradeSortKey } from './backtest-trades';
import { EquityChart } from './EquityChart';

const DAY_MS = 86_400_000;
const toInput = (time: number) => new Date(time).toISOString().slice(0, 16);
const fromInput = (text: string) => Date.parse(`${text}:00Z`);
const when = (time: number) => new Date(time).toISOString().slice(5, 16).replace('T', ' ');

const COLUMNS: Array<{ key: TradeSortKey; label: string }> = [
  { key: 'entryTime', label: 'Entry (UTC)' },
  { key: 'symbol', label: 'Symbol' },
  { key: 'side', label: 'Side' },
  { key: 'exitReason', label: 'Exit' },
  { key: 'net', label: 'Net' },
  { key: 'r', label: 'R' },
];

/**
 * Test a strategy before switching it on: a strategy, symbols, timeframe, range and balance; history from the
 * exchange (or an OHLCV file), run in a worker with progress and Cancel; then the summary, the equity curve and
 * drawdown, the trades (sortable, also on the main chart) and their export.
 */
export function BacktestPanel({
  api,
  settings,
  files,
  symbols,
  timeframes,
  job,
}: {
  api: CockpitApi;
  settings: Settings | null;
  files: readonly StrategyFileView[];
  symbols: readonly string[];
  timeframes: readonly Timeframe[];
  job: BacktestJob | null;
}) {
  const strategies = [...(settings?.strategies.map((s) => s.id) ?? []), ...files.filter((f) => f.label !== null).map((f) => f.id)];
  const [strategy, setStrategy] = useState<string>('trend-pullback');
  const [chosen, setChosen] = useState<string[]>([]);
  const [timeframe, setTimeframe] = useState<Timeframe>('1m');
  const [from, setFrom] = useState(() => toInput(Date.now() - 7 * DAY_MS));
  const [to, setTo] = useState(() => toInput(Date.now() + 60_000));
  const [balance, setBalance] = useState('10000');
  const [file, setFile] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: TradeSortKey; descending: boolean }>({ key: 'entryTime', descending: false });
  const running = job !== null && (job.phase === 'fetching' || job.phase === 'running');
  const report = job?.report ?? null;
  const trades = useMemo(() => (report ? sortTrades(report.trades, sort.key, sort.descending) : []), [report, sort]);
  const runSymbols = chosen.length ? chosen : symbols.slice(0, 1);

  const run = async () => {
    const result = await api.invoke('backtest.run', {
      strategy,
      symbols: runSymbols,
      timeframe,
      from: fromInput(from),
      to: fromInput(to),
      balance: Number(balance),
      ...(file.trim() ? { file: file.trim() } : {}),
    });
    setError(result.ok ? null : result.error.message);
  };
  const cancel = async () => {
    if (!job) return;
    const result = await api.invoke('backtest.cancel', { id: job.id });
    setError(result.ok ? null : result.error.message);
  };
  const exportAs = (kind: 'json' | 'csv') => {
    if (!report) return;
    const name = `backtest-${report.summary.strategy.replace(/[^\w.-]+/g, '_')}-${report.summary.timeframe}`;
    if (kind === 'json') saveAs(`${name}.json`, JSON.stringify(report, null, 1), 'application/json');
    else saveAs(`${name}.csv`, tradesCsv(report.trades), 'text/csv');
  };

  return (
    <div className="backtest" data-testid="backtest-panel">
      <form
        className="backtest-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <label className="field">
          Strategy
          <select data-testid="backtest-strategy" value={strategy} onChange={(e) => setStrategy(e.target.value)}>
            {strategies.map((id) => (
              <option key={id} value={id}>
                {files.find((f) => f.id === id)?.label ?? id}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="backtest-symbols">
          <legend>Symbols</legend>
          {symbols.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" data-testid="backtest-symbol" data-symbol={s} checked={runSymbols.includes(s)} onChange={(e) => setChosen(e.target.checked ? [...runSymbols, s] : runSymbols.filter((x) => x !== s))} />{' '}
              {s.split('/')[0]}
            </label>
          ))}
        </fieldset>
        <label className="field">
          Timeframe
          <select data-testid="backtest-timeframe" value={timeframe} onChange={(e) => setTimeframe(e.target.value as Timeframe)}>
            {timeframes.map((tf) => (
              <option key={tf}>{tf}</option>
            ))}
          </select>
        </label>
        <label className="field">
          From (UTC)
          <input type="datetime-local" data-testid="backtest-from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="field">
          To (UTC)
          <input type="datetime-local" data-testid="backtest-to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="field">
          Balance
          <input type="number" data-testid="backtest-balance" min={1} value={balance} onChange={(e) => setBalance(e.target.value)} />
        </label>
        <label className="field" title="An OHLCV file (CSV or JSON) instead of the exchange's history; one symbol">
          File (optional)
          <input type="text" data-testid="backtest-file" placeholder="/path/to/bars.csv" value={file} onChange={(e) => setFile(e.target.value)} />
        </label>
        <button type="submit" className="btn" data-testid="backtest-run" disabled={running}>
          Run
        </button>
        <button type="button" className="btn" data-testid="backtest-cancel" disabled={!running} onClick={() => void cancel()}>
          Cancel
        </button>
      </form>
      {job && (
        <div className="backtest-status" data-testid="backtest-status" data-phase={job.phase}>
          <progress data-testid="backtest-progress" data-percent={job.percent} max={100} value={job.percent} /> <span>{job.percent.toFixed(0)}%</span>{' '}
          <span className={job.phase === 'failed' ? 'neg' : 'muted'}>{job.message}</span>
        </div>
      )}
      {error && (
        <p className="form-message error" role="alert">
          {error}
        </p>
      )}
      {report && (
        <div className="backtest-results">
          <dl
            className="backtest-summary num"
            data-testid="backtest-summary"
            data-trades={report.summary.trades}
            data-return-pct={report.summary.returnPct}
            data-max-drawdown-pct={report.summary.maxDrawdownPct}
            data-cancelled={report.cancelled}
          >
            <dt>Trades</dt>
            <dd>{report.summary.trades}</dd>
            <dt>Return</dt>
            <dd>{formatPct(report.summary.returnPct, { signed: true })}</dd>
            <dt>Max DD</dt>
            <dd>{formatPct(report.summary.maxDrawdownPct)}</dd>
            <dt>Win rate</dt>
            <dd>{formatPct(report.summary.winRatePct, { decimals: 0 })}</dd>
            <dt>PF</dt>
            <dd>{report.summary.profitFactor === null ? '—' : report.summary.profitFactor.toFixed(2)}</dd>
            <dt>Avg R</dt>
            <dd>{report.summary.expectancyR.toFixed(2)}</dd>
            <dt>Fees</dt>
            <dd>{formatMoney(report.summary.fees)}</dd>
            <dt>Funding</dt>
            <dd>{formatMoney(report.summary.funding, { signed: true })}</dd>
            <dt>Final</dt>
            <dd>{formatMoney(report.summary.finalEquity)}</dd>
            <dt>Period</dt>
            <dd>
              {when(report.summary.from)} → {when(report.summary.to)}
            </dd>
          </dl>
          <div className="backtest-export">
            <button type="button" className="btn-small" data-testid="backtest-export-json" onClick={() => exportAs('json')}>
              Export JSON
            </button>
            <button type="button" className="btn-small" data-testid="backtest-export-csv" onClick={() => exportAs('csv')}>
              Export CSV
            </button>
          </div>
          <EquityChart curve={report.equity} />
          <table className="data-table backtest-trades">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.key}>
                    <button
                      type="button"
                      className="sort"
                      data-testid={`backtest-sort-${c.key}`}
                      aria-sort={sort.key === c.key ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                      onClick={() => setSort({ key: c.key, descending: sort.key === c.key ? !sort.descending : false })}
                    >
                      {c.label}
                      {sort.key === c.key ? (sort.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  </th>
                ))}
                <th>Entry → exit</th>
              </tr>
            </thead>
            <tbody>
              {trades.map((t, i) => (
                <TradeRow key={`${t.symbol}-${t.entryTime}-${i}`} trade={t} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function TradeRow({ trade: t }: { trade: BacktestTradeView }) {
  return (
    <tr data-testid="backtest-trade-row" data-net={t.net}>
      <td>{when(t.entryTime)}</td>
      <td>{t.symbol}</td>
      <td className={t.side === 'long' ? 'pos' : 'neg'}>{t.side}</td>
      <td>{t.exitReason}</td>
      <td className={t.net >= 0 ? 'pos num' : 'neg num'}>{formatMoney(t.net, { signed: true })}</td>
      <td className="num">{t.r === null ? '—' : t.r.toFixed(2)}</td>
      <td className="num muted">
        {t.entryPrice} → {t.exitPrice}
      </td>
    </tr>
  );
}
