import type { ProposalRecord as Record } from '../../../shared/domain';
import { formatPct } from '../format/numbers';

const day = (time: number) => new Date(time).toISOString().slice(0, 16).replace('T', ' ');

/** The evidence beside a strategy's proposal: its latest backtest here, and its live record in this account. */
export function ProposalRecord({ record }: { record: Record }) {
  const { backtest, live } = record;
  return (
    <div className="proposal-record" data-testid="proposal-record" data-backtest-trades={backtest?.trades ?? ''} data-live-trades={live?.closedTrades ?? ''}>
      {!backtest && !live && <span className="muted">{record.strategy}: no record yet</span>}
      {backtest && (
        <div data-testid="proposal-record-backtest">
          Backtest {record.symbol} {record.timeframe}: {backtest.trades} trades, win {formatPct(backtest.winRate * 100, { decimals: 0 })}, PF{' '}
          {backtest.profitFactor === null ? '—' : backtest.profitFactor.toFixed(2)}, avg {backtest.averageR.toFixed(2)} R, max DD {formatPct(backtest.maxDrawdownPct, { decimals: 1 })}
          <span className="muted">
            {' '}
            · {day(backtest.from)} → {day(backtest.to)} UTC
          </span>
        </div>
      )}
      {!backtest && live && <div className="muted">No backtest yet</div>}
      {live ? (
        <div data-testid="proposal-record-live">
          Live here: {live.closedTrades} closed, win {formatPct(live.winRate * 100, { decimals: 0 })}, avg {live.averageR.toFixed(2)} R
        </div>
      ) : (
        backtest && <div className="muted">No live trades yet</div>
      )}
    </div>
  );
}
