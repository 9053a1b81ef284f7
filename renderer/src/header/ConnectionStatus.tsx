import type { ConnectionState } from '../../../shared/domain';
import type { LinkStatus } from '../state/cockpit-state';

/** The engine link (exact word, for checks) and, beside it, the exchange's own connection. */
export function ConnectionStatus({ link, exchange }: { link: LinkStatus; exchange: ConnectionState | null }) {
  return (
    <span className="connection">
      <span className={`dot dot-${link}`} aria-hidden />
      <span data-testid="connection-status">{link}</span>
      {exchange && (
        <span className={`exchange-link exchange-${exchange.state}`} title={exchange.detail ?? undefined}>
          {exchange.exchange}: {exchange.state}
          {exchange.rateLimit && (
            <span
              data-testid="rate-limit"
              data-used={exchange.rateLimit.used}
              data-limit={exchange.rateLimit.limit}
              title={`Request weight used in the last ${Math.round(exchange.rateLimit.windowMs / 1000)} s, against the exchange's limit`}
            >
              {` · ${exchange.rateLimit.used}/${exchange.rateLimit.limit}`}
            </span>
          )}
        </span>
      )}
    </span>
  );
}
