import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { FundingSummary, LiquidationFormula, MarketInfo, Order, Position } from '../../../shared/domain';
import { protectiveOrders } from '../chart/trade-lines';
import { formatAmount, formatLeverage, formatMoney, formatPct, formatPrice } from '../format/numbers';
import { liquidationGrade } from '../legend/distance';
import type { TickerStore } from '../state/ticker-store';
import { FundingCell } from './FundingCell';
import { MarginControl } from './MarginControl';
import { ReduceMenu } from './ReduceMenu';

/** Every open position with its protection; a red warning where a stop is missing; a close button per row. */
export function PositionsTable({
  api,
  positions,
  orders,
  markets,
  liquidationWarnPct,
  liquidationFormula,
  onSelectSymbol,
  tickers,
  funding,
}: {
  api: CockpitApi;
  positions: readonly Position[];
  orders: readonly Order[];
  markets: Record<string, MarketInfo>;
  liquidationWarnPct: number;
  /** The engine's liquidation formula, for the margin form's preview. */
  liquidationFormula: LiquidationFormula;
  onSelectSymbol: (symbol: string) => void;
  /** For each position's funding rate and countdown. */
  tickers: TickerStore;
  funding: FundingSummary | null;
}) {
  const [closing, setClosing] = useState<Record<string, string | null>>({});
  const open = positions.filter((p) => p.contracts > 0);

  const close = async (symbol: string) => {
    setClosing((c) => ({ ...c, [symbol]: 'closing…' }));
    const result = await api.invoke('position.close', { symbol });
    setClosing((c) => ({ ...c, [symbol]: result.ok ? null : result.error.message }));
  };

  return (
    <div className="table-wrap">
      <table data-testid="positions-table" className="data-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th>Side</th>
            <th className="r">Size</th>
            <th className="r">Entry</th>
            <th className="r">Mark</th>
            <th className="r">PnL</th>
            <th className="r">Lev</th>
            <th>Margin</th>
            <th className="r">Liq. price (dist.)</th>
            <th>Stop / TP</th>
            <th className="r">Funding (next, since open)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {open.length === 0 && (
            <tr className="empty">
              <td colSpan={12}>No open positions.</td>
            </tr>
          )}
          {open.map((p) => {
            const market = markets[p.symbol];
            const tick = market?.tickSize ?? 0.01;
            const protection = protectiveOrders(orders, p.symbol);
            const stops = protection.filter((o) => o.purpose === 'stop').map((o) => o.price);
            const targets = protection.filter((o) => o.purpose === 'take-profit').map((o) => o.price);
            const grade = liquidationGrade(p.distanceToLiquidationPct, liquidationWarnPct);
            const status = closing[p.symbol];
            return (
              <tr
                key={p.symbol}
                data-testid="position-row"
                data-symbol={p.symbol}
                data-side={p.side}
                data-contracts={p.contracts}
                data-leverage={p.leverage}
                data-liquidation-price={p.liquidationPrice ?? ''}
                className={stops.length === 0 ? 'unprotected' : ''}
                onClick={() => onSelectSymbol(p.symbol)}
              >
                <td>
                  {p.symbol}
                  {p.origin === 'manual' && <span className="tag" title="Opened outside the cockpit">ext</span>}
                </td>
                <td className={p.side === 'long' ? 'pos' : 'neg'}>{p.side.toUpperCase()}</td>
                <td className="r num">{formatAmount(p.contracts, market?.amountStep)}</td>
                <td className="r num">{formatPrice(p.entryPrice, tick)}</td>
                <td className="r num">{formatPrice(p.markPrice, tick)}</td>
                <td className={`r num ${p.unrealizedPnl >= 0 ? 'pos' : 'neg'}`}>{formatMoney(p.unrealizedPnl, { signed: true })}</td>
                <td className="r num">{formatLeverage(p.leverage)}</td>
                <td>{p.marginMode}</td>
                <td className={`r num liq-${grade}`} data-testid="position-liquidation">
                  {formatPrice(p.liquidationPrice, tick)} <span className="dist">({formatPct(p.distanceToLiquidationPct)})</span>
                </td>
                <td className="protection">
                  {stops.length === 0 ? (
                    <span className="no-stop" data-testid="position-no-stop" role="alert">
                      NO STOP
                    </span>
                  ) : (
                    <span className="num" data-testid="position-stop">
                      SL {stops.map((s) => formatPrice(s, tick)).join(', ')}
                    </span>
                  )}
                  {targets.length > 0 && (
                    <div className="num muted" data-testid="position-take-profit">
                      TP {targets.map((t) => formatPrice(t, tick)).join(', ')}
                    </div>
                  )}
                </td>
                <FundingCell tickers={tickers} symbol={p.symbol} funding={funding} />
                <td className="r row-actions">
                  <ReduceMenu api={api} position={p} />
                  <MarginControl api={api} position={p} market={market} formula={liquidationFormula} />
                  <button
                    type="button"
                    data-testid="position-close"
                    className="btn-small danger"
                    disabled={status === 'closing…'}
                    onClick={(e) => {
                      e.stopPropagation();
                      void close(p.symbol);
                    }}
                  >
                    Close
                  </button>
                  {status && status !== 'closing…' && (
                    <div className="row-error" role="alert">
                      {status}
                    </div>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
