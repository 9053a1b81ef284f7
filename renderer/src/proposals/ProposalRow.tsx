import type { MarketInfo, Proposal } from '../../../shared/domain';
import { formatAmount, formatCountdown, formatLeverage, formatMoney, formatPct, formatPrice } from '../format/numbers';
import { ProposalRecord } from './ProposalRecord';
import type { WhatIf } from './what-if';
import { describeRiskFigure } from '../../../shared/risk/risk-per-trade';

/**
 * One proposal: everything the engine computed, its checks' verdicts and the
 * time left. Finished proposals fold to one line unless selected.
 */
export function ProposalRow({
  proposal: p,
  market,
  selected,
  now,
  block,
  whatIf: live,
  busy,
  error,
  onToggle,
  onAct,
}: {
  proposal: Proposal;
  market: MarketInfo | undefined;
  selected: boolean;
  now: number;
  block: string | null;
  whatIf: WhatIf | null;
  busy: boolean;
  error: string | null;
  onToggle: () => void;
  onAct: (action: 'approve' | 'reject') => void;
}) {
  const tick = market?.tickSize ?? 0.01;
  const pending = p.status === 'pending';
  const approvable = pending && p.verdict.ok && !block;
  const expanded = pending || p.status === 'executing' || selected;
  return (
    <li
      data-testid="proposal"
      data-id={p.id}
      data-status={p.status}
      data-symbol={p.symbol}
      aria-selected={selected}
      className={`proposal ${selected ? 'selected' : ''} status-${p.status}`}
      tabIndex={0}
      onClick={onToggle}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        onToggle();
      }}
    >
      <div className="proposal-head">
        {p.kind === 'close' && <span data-testid="proposal-close">CLOSE </span>}
        <span className={p.side === 'long' ? 'pos' : 'neg'}>{p.side.toUpperCase()}</span> <strong>{p.symbol}</strong>
        <span className="muted"> · {p.source}{p.auto ? ' (auto)' : ''}</span>
        <span className={`status-pill status-${p.status}`} data-testid="proposal-status">
          {p.status}
        </span>
        <span className="muted num" data-testid="proposal-expiry">
          {pending ? formatCountdown(p.expiresAt - now) : ''}
        </span>
      </div>
      {expanded && p.reason && <div className="muted proposal-reason">{p.reason}</div>}
      {expanded && p.risk && (
        <div className="muted proposal-reason" data-testid="proposal-risk-figure">
          Risk per trade: {describeRiskFigure(p.risk, p.source)}
        </div>
      )}
      {expanded && p.record && <ProposalRecord record={p.record} />}
      {expanded && p.kind !== 'close' && (
        <dl className="proposal-grid num">
          <dt>Entry</dt>
          <dd>{formatPrice(p.entry, tick)}</dd>
          <dt>Stop</dt>
          <dd data-testid="proposal-stop">{formatPrice(live?.stop ?? p.stop, tick)}</dd>
          <dt>TP</dt>
          <dd>{formatPrice(p.takeProfit, tick)}</dd>
          <dt>Qty</dt>
          <dd data-testid="proposal-quantity">{formatAmount(live?.quantity ?? p.quantity, market?.amountStep)}</dd>
          <dt>Lev</dt>
          <dd>{formatLeverage(p.leverage)}</dd>
          <dt>Notional</dt>
          <dd>{formatMoney(live?.notional ?? p.notional)}</dd>
          <dt>Margin</dt>
          <dd>{formatMoney(live?.margin ?? p.margin)}</dd>
          <dt>Risk</dt>
          <dd data-testid="proposal-risk">{formatMoney(live?.riskAmount ?? p.riskAmount)}</dd>
          <dt>R:R</dt>
          <dd>{(live?.rewardRisk ?? p.rewardRisk).toFixed(2)}</dd>
          <dt>Liq.</dt>
          <dd data-testid="proposal-liquidation">
            {formatPrice(live ? live.liquidationPrice : p.liquidationPrice, tick)} ({formatPct(live ? live.distanceToLiquidationPct : p.distanceToLiquidationPct)})
          </dd>
          <dt>Fees</dt>
          <dd>{formatMoney(p.estimatedFees)}</dd>
          <dt title="What the position would pay per 8-hour settlement at the current funding rate (− : receive)">Funding/8h</dt>
          <dd data-testid="proposal-funding">{formatMoney(p.fundingPer8h ?? null, { signed: true })}</dd>
          <dt title="Loss at the stop plus the entry and exit fees; funding comes on top per 8 h held">At stop, fees in</dt>
          <dd data-testid="proposal-risk-all-in">{formatMoney((live?.riskAmount ?? p.riskAmount) + p.estimatedFees)}</dd>
        </dl>
      )}
      {live && (
        <div className="what-if" data-testid="proposal-what-if">
          what-if while dragging{live.problem ? `: ${live.problem}` : ''}
        </div>
      )}
      {expanded && (
        <ul className="verdict" data-testid="proposal-verdict" data-ok={p.verdict.ok}>
          {p.verdict.ok ? (
            <li className="pos">✓ all pre-trade checks pass</li>
          ) : (
            p.verdict.violations.map((v, i) => (
              <li key={`${v.rule}-${i}`} className="neg" data-rule={v.rule}>
                ✗ {v.message}
              </li>
            ))
          )}
        </ul>
      )}
      {p.statusReason && <div className="status-reason" data-testid="proposal-status-reason">{p.statusReason}</div>}
      {error && (
        <div className="row-error" data-testid="proposal-error" role="alert">
          {error}
        </div>
      )}
      {pending && (
        <div className="proposal-actions">
          <button
            type="button"
            data-testid="proposal-approve"
            className="btn approve"
            disabled={!approvable || busy}
            title={block ? `Blocked: ${block}` : p.verdict.ok ? 'Approve (A)' : 'Checks fail'}
            onClick={(e) => {
              e.stopPropagation();
              onAct('approve');
            }}
          >
            {busy ? '…' : 'Approve'}
          </button>
          <button
            type="button"
            data-testid="proposal-reject"
            className="btn reject"
            disabled={busy}
            title="Reject (R)"
            onClick={(e) => {
              e.stopPropagation();
              onAct('reject');
            }}
          >
            Reject
          </button>
        </div>
      )}
    </li>
  );
}
