import type { AccountState } from '../../../shared/domain';
import { formatLeverage, formatMoney, formatPct } from '../format/numbers';

const tone = (value: number | null | undefined) => (value === null || value === undefined || value === 0 ? '' : value > 0 ? 'pos' : 'neg');

/** Equity, free margin, margin ratio, unrealised and today's realised PnL, today's funding, effective leverage. */
export function AccountPanel({ account, flat, fundingToday = null }: { account: AccountState | null; flat: boolean | null; fundingToday?: number | null }) {
  const currency = account?.currency ?? 'USDT';
  return (
    <section className="panel account-panel" data-testid="account" data-flat={flat ?? ''} aria-label="Account">
      <h2>
        Account <span className="muted">{currency}</span>
        {flat !== null && (
          <span data-testid="account-flat" className={`flat-badge ${flat ? 'is-flat' : 'has-exposure'}`}>
            {flat ? 'FLAT' : 'EXPOSED'}
          </span>
        )}
      </h2>
      <dl className="account-grid">
        <dt>Equity</dt>
        <dd data-testid="account-equity" className="num">
          {formatMoney(account?.equity)}
        </dd>
        <dt>Free margin</dt>
        <dd data-testid="account-free-margin" className="num">
          {formatMoney(account?.freeMargin)}
        </dd>
        <dt>Margin ratio</dt>
        <dd data-testid="account-margin-ratio" className="num">
          {account?.marginRatio === null || account?.marginRatio === undefined ? '—' : formatPct(account.marginRatio * 100)}
        </dd>
        <dt>Unrealised</dt>
        <dd data-testid="account-unrealized" className={`num ${tone(account?.unrealizedPnl)}`}>
          {formatMoney(account?.unrealizedPnl, { signed: true })}
        </dd>
        <dt>Realised today</dt>
        <dd data-testid="account-realized-today" className={`num ${tone(account?.realizedPnlToday)}`}>
          {formatMoney(account?.realizedPnlToday, { signed: true })}
        </dd>
        <dt title="Net funding since 00:00 UTC: received +, paid −">Funding today</dt>
        <dd data-testid="account-funding-today" className={`num ${tone(fundingToday)}`}>
          {formatMoney(fundingToday, { signed: true })}
        </dd>
        <dt>Eff. leverage</dt>
        <dd data-testid="account-leverage" className="num">
          {formatLeverage(account?.effectiveLeverage)}
        </dd>
      </dl>
    </section>
  );
}
