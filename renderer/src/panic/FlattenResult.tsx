import type { FlattenReport } from '../../../shared/domain';

/** Progress of the emergency flatten and what happened to each symbol. */
export function FlattenResult({ report, running, error, onDismiss }: { report: FlattenReport | null; running: boolean; error: string | null; onDismiss: () => void }) {
  if (!report && !running && !error) return null;
  const done = report?.finishedAt !== null && report !== null;
  const tone = error || (done && !report.flat) ? 'bad' : done ? 'good' : 'working';
  return (
    <section className={`flatten-result tone-${tone}`} data-testid="flatten-result" data-flat={report?.flat ?? false} data-finished={done} role="status" aria-live="polite">
      <strong>
        {error
          ? `Flatten failed: ${error}`
          : !report
            ? 'Flattening: cancelling every order and closing every position…'
            : done
              ? report.flat
                ? `Flat: ${report.symbols.length} symbol${report.symbols.length === 1 ? '' : 's'} closed in ${((report.finishedAt! - report.startedAt) / 1000).toFixed(1)}s`
                : 'Flatten finished but NOT flat'
              : `Flattening (attempt ${report.attempts})…`}
      </strong>
      {report && report.symbols.length === 0 && done && <span className="muted"> nothing was open.</span>}
      {report && report.symbols.length > 0 && (
        <ul>
          {report.symbols.map((s) => (
            <li key={s.symbol} data-testid="flatten-symbol" data-symbol={s.symbol} data-status={s.status} className={`flatten-${s.status}`}>
              <span className="sym">{s.symbol}</span> <span className="status">{s.status}</span>
              <span className="muted num">
                {' '}
                closed {s.closedContracts} · cancelled {s.ordersCancelled} orders
                {s.remainingContracts > 0 || s.remainingOrders > 0 ? ` · remaining ${s.remainingContracts} contracts, ${s.remainingOrders} orders` : ''}
              </span>
              {s.errors.length > 0 && <span className="neg"> · {s.errors.join('; ')}</span>}
            </li>
          ))}
        </ul>
      )}
      {report && report.remaining.length > 0 && (
        <ul className="neg">
          {report.remaining.map((r, i) => (
            <li key={i}>{r}</li>
          ))}
        </ul>
      )}
      {report?.journalFailure && (
        <p className="muted" data-testid="flatten-journal-failure">
          {report.journalFailure}
        </p>
      )}
      {done && (
        <button type="button" className="btn-small" onClick={onDismiss} aria-label="Dismiss flatten result">
          ×
        </button>
      )}
    </section>
  );
}
