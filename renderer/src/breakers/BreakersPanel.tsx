import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { BreakerView } from '../../../shared/domain';
import { formatCountdown } from '../format/numbers';
import { useNow } from '../hooks/use-now';

function formatMeasure(value: number | null, unit: BreakerView['unit']): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (unit === '%') return `${value.toFixed(2)}%`;
  if (unit === 'x') return `${value.toFixed(2)}x`;
  if (unit === 'USDT') return `${value.toFixed(2)} USDT`;
  return String(value);
}

/** Re-arm time in words: a countdown, "needs reset", or nothing while armed. */
function rearmText(breaker: BreakerView, now: number): string {
  if (breaker.state !== 'tripped') return '';
  if (breaker.trippedUntil !== null) return `re-arms in ${formatCountdown(breaker.trippedUntil - now)}`;
  return breaker.needsReset ? 'needs reset' : 're-arms when the condition clears';
}

/** Resetting a breaker needs its id typed back: a deliberate act, not a stray click. */
function ResetBreaker({ api, breaker }: { api: CockpitApi; breaker: BreakerView }) {
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!open) {
    return (
      <button type="button" className="btn-small" data-testid="breaker-reset" onClick={() => setOpen(true)}>
        Reset…
      </button>
    );
  }
  const submit = async () => {
    const result = await api.invoke('breaker.reset', { id: breaker.id, confirmation: typed });
    if (result.ok) {
      setOpen(false);
      setTyped('');
      setError(null);
    } else setError(result.error.message);
  };
  return (
    <form
      className="reset-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        Type <code>{breaker.id}</code> to re-arm
        <input data-testid="breaker-reset-confirmation" autoFocus value={typed} onChange={(e) => setTyped(e.target.value)} />
      </label>
      <button type="submit" className="btn-small danger" data-testid="breaker-reset-confirm" disabled={typed !== breaker.id}>
        Re-arm
      </button>
      <button type="button" className="btn-small" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}

/** Every circuit breaker: state, threshold, current value, reason and re-arm time. */
export function BreakersPanel({ api, breakers }: { api: CockpitApi; breakers: readonly BreakerView[] }) {
  const now = useNow(1000);
  const tripped = breakers.filter((b) => b.state === 'tripped').length;
  return (
    <section className="panel breakers-panel" data-testid="breakers" aria-label="Circuit breakers">
      <h2>
        Breakers{' '}
        <span className={tripped ? 'neg' : 'muted'}>
          {tripped ? `${tripped} tripped` : 'all armed'}
        </span>
      </h2>
      {breakers.length === 0 && <p className="muted">No breakers reported yet.</p>}
      <ul className="breaker-list">
        {breakers.map((b) => (
          <li key={b.id} data-testid="breaker" data-id={b.id} data-state={b.state} data-value={b.value ?? ''} className={`breaker state-${b.state}`}>
            <div className="breaker-head">
              <span className={`state-dot state-${b.state}`} aria-hidden />
              <span className="breaker-label">
                {b.label}
                {b.off && (
                  <span className="muted" data-testid="breaker-off">
                    {' '}
                    (off)
                  </span>
                )}
              </span>
              <span className="num breaker-value" title="current / threshold">
                {formatMeasure(b.value, b.unit)} / {formatMeasure(b.threshold, b.unit)}
              </span>
            </div>
            {b.state !== 'armed' && (
              <div className="breaker-detail">
                <span className="breaker-action">{b.action === 'none' ? 'warning' : b.action}</span>
                {b.reason && (
                  <>
                    {' · '}
                    <span data-testid="breaker-reason">{b.reason}</span>
                  </>
                )}
                <span className="muted"> {rearmText(b, now)}</span>
              </div>
            )}
            {b.state === 'tripped' && (b.needsReset || b.trippedUntil !== null) && <ResetBreaker api={api} breaker={b} />}
          </li>
        ))}
      </ul>
    </section>
  );
}
