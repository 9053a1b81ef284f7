import type { FundingSummary } from '../../../shared/domain';
import { formatCountdown, formatMoney, formatPct } from '../format/numbers';
import { useTicker, type TickerStore } from '../state/ticker-store';

/**
 * A position's funding: the current rate, the time to the next settlement (on the exchange's clock, as its
 * ticker tells it, so a sped-up paper session counts down at its own pace) and the net funding since it opened
 * (received positive, paid negative).
 */
export function FundingCell({ tickers, symbol, funding }: { tickers: TickerStore; symbol: string; funding: FundingSummary | null }) {
  const ticker = useTicker(tickers, symbol);
  const since = funding?.positions.find((p) => p.symbol === symbol) ?? null;
  const left = ticker && ticker.nextFundingTime > 0 ? ticker.nextFundingTime - ticker.time : null;
  const net = since?.net ?? null;
  return (
    <td className="r num funding" data-testid="position-funding" data-rate={ticker?.fundingRate ?? ''} data-next={ticker?.nextFundingTime ?? ''} data-net={net ?? ''}>
      <span data-testid="position-funding-rate">{ticker ? formatPct(ticker.fundingRate * 100, { signed: true, decimals: 4 }) : '—'}</span>{' '}
      <span className="muted" data-testid="position-funding-countdown">
        {left === null ? '' : `in ${formatCountdown(left)}`}
      </span>
      <div className={net === null || net === 0 ? 'muted' : net > 0 ? 'pos' : 'neg'} data-testid="position-funding-net" title="Funding since the position opened: received +, paid −">
        {net === null ? '—' : formatMoney(net, { signed: true })}
      </div>
    </td>
  );
}
