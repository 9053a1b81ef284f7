import type { TradeLine } from '../chart/trade-lines';
import { formatMoney, formatPct, formatPrice } from '../format/numbers';
import { distanceMoney, distancePct } from './distance';

const KIND_LABEL = { entry: 'Entry', stop: 'Stop', 'take-profit': 'Take-profit', liquidation: 'Liquidation' } as const;

/** Each line with its exact price (`data-price`) and its distance from mark, in percent and in money. */
export function Legend({ lines, mark, tickSize, currency }: { lines: readonly TradeLine[]; mark: number | null; tickSize: number; currency: string }) {
  return (
    <aside className="legend" data-testid="legend" aria-label="Trade lines">
      <h3>Lines</h3>
      {lines.length === 0 && <p className="muted">No position or selected proposal on this symbol.</p>}
      <ul>
        {lines.map((line) => {
          const pct = mark === null ? null : distancePct(line.price, mark);
          const money = mark === null ? null : distanceMoney(line.price, mark, line.quantity, line.side);
          return (
            <li key={line.key} data-testid={line.testId} data-price={line.price} className={`legend-item legend-${line.kind}${line.preview ? ' preview' : ''}`}>
              <span className="legend-title">
                <span className="swatch" aria-hidden />
                {line.preview ? 'Proposal ' : ''}
                {KIND_LABEL[line.kind]}
              </span>
              <span className="legend-price num">{formatPrice(line.price, tickSize)}</span>
              <span className="legend-distance num" title="Distance from mark">
                {formatPct(pct, { signed: true })} · <span className={money !== null && money < 0 ? 'neg' : 'pos'}>{formatMoney(money, { signed: true })}</span> {currency}
              </span>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
