import type { MarketInfo, Order } from '../../../shared/domain';
import { formatAmount, formatPrice } from '../format/numbers';

const OPEN = new Set<Order['status']>(['open', 'partially_filled']);

/** Every open order, normal and conditional, with the purpose the cockpit gave it. */
export function OrdersTable({ orders, markets }: { orders: readonly Order[]; markets: Record<string, MarketInfo> }) {
  const open = orders.filter((o) => OPEN.has(o.status));
  return (
    <div className="table-wrap">
      <table className="data-table" data-testid="orders-table">
        <thead>
          <tr>
            <th>Symbol</th>
            <th>Purpose</th>
            <th>Type</th>
            <th>Side</th>
            <th className="r">Amount</th>
            <th className="r">Price / trigger</th>
            <th>Flags</th>
            <th>Client id</th>
          </tr>
        </thead>
        <tbody>
          {open.length === 0 && (
            <tr className="empty">
              <td colSpan={8}>No open orders.</td>
            </tr>
          )}
          {open.map((o) => {
            const market = markets[o.symbol];
            return (
              <tr key={o.id} data-testid="order-row" data-symbol={o.symbol} data-purpose={o.purpose} data-trigger-price={o.triggerPrice ?? ''}>
                <td>{o.symbol}</td>
                <td>{o.purpose}</td>
                <td>{o.type}</td>
                <td className={o.side === 'buy' ? 'pos' : 'neg'}>{o.side}</td>
                <td className="r num">{o.closePosition ? 'all' : formatAmount(o.amount, market?.amountStep)}</td>
                <td className="r num">{formatPrice(o.triggerPrice ?? o.price, market?.tickSize)}</td>
                <td className="muted">
                  {[o.reduceOnly && 'reduce-only', o.closePosition && 'close', o.conditional && 'conditional', o.triggerBy && `${o.triggerBy} trigger`].filter(Boolean).join(' · ')}
                </td>
                <td className="muted mono">{o.clientOrderId}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
