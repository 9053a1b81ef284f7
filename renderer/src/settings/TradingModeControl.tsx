import { useEffect, useState } from 'react';
import type { CockpitApi, ModeStatus } from '../../../shared/contract';
import type { CredentialStatus, Mode } from '../../../shared/domain';
import { FieldError } from '../forms/FieldError';
import {
  appliedModeMessage,
  canApplyMode,
  confirmationPrompt,
  describeMode,
  describeRunning,
  initialModeDraft,
  modeFieldErrors,
  modeRequest,
  needsConfirmation,
  type ModeDraft,
  type ModeFieldErrors,
} from './mode-form';

/**
 * Paper or live for the next start. Live needs the stored exchange id typed
 * in; the engine checks it, journals the change, and the app restarts into it.
 */
export function TradingModeControl({ api, credentials }: { api: CockpitApi; credentials: CredentialStatus | null }) {
  const [status, setStatus] = useState<ModeStatus | null>(null);
  const [draft, setDraft] = useState<ModeDraft>(initialModeDraft(null));
  const [errors, setErrors] = useState<ModeFieldErrors>({});
  const [applied, setApplied] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    void api.invoke('mode.status', {}).then((result) => {
      if (!live) return;
      if (result.ok) {
        setStatus(result.value);
        setDraft(initialModeDraft(result.value));
      } else {
        setErrors(modeFieldErrors(result.error));
      }
    });
    return () => {
      live = false;
    };
  }, [api, credentials?.stored, credentials?.exchange, credentials?.testnet, credentials?.demo]);

  const apply = async () => {
    setBusy(true);
    setErrors({});
    const result = await api.invoke('mode.set', modeRequest(draft));
    if (!result.ok) {
      setBusy(false);
      setErrors(modeFieldErrors(result.error));
      return;
    }
    setStatus(result.value);
    setApplied(appliedModeMessage(result.value));
    setDraft({ ...draft, confirmation: '' });
    setBusy(result.value.restartRequired);
  };

  return (
    <form
      className="settings-grid trading-mode"
      aria-label="Trading mode"
      autoComplete="off"
      onSubmit={(e) => {
        e.preventDefault();
        void apply();
      }}
    >
      <h4 className="wide">Trading mode</h4>
      <p className="muted wide" data-testid="mode-status">
        Now: <strong data-testid="mode-current">{status ? describeRunning(status) : '…'}</strong>
        {' · '}Next start: <strong data-testid="mode-next">{status ? describeMode(status.next, status.exchange, status) : '…'}</strong>
      </p>
      {status?.locked && (
        <p className="muted wide" data-testid="mode-locked">
          {status.locked}
        </p>
      )}
      <label>
        Mode
        <select
          data-testid="mode-select"
          value={draft.mode}
          disabled={busy}
          onChange={(e) => {
            setDraft({ mode: e.target.value as Mode, confirmation: '' });
            setErrors({});
            setApplied(null);
          }}
        >
          <option value="paper">Paper (simulated)</option>
          <option value="live">Live (real orders)</option>
        </select>
        <FieldError message={errors.mode} />
      </label>
      {needsConfirmation(draft) && (
        <label>
          {confirmationPrompt(credentials?.stored ? credentials.exchange : null)}
          <input
            data-testid="mode-confirm"
            type="text"
            autoComplete="off"
            spellCheck={false}
            placeholder={credentials?.exchange ?? ''}
            value={draft.confirmation}
            disabled={busy}
            onChange={(e) => setDraft({ ...draft, confirmation: e.target.value })}
          />
          <FieldError message={errors.confirmation} />
        </label>
      )}
      <div className="form-actions">
        <button type="submit" className="btn primary" data-testid="mode-apply" disabled={!canApplyMode(draft, status, busy)}>
          Apply and restart
        </button>
      </div>
      <p className="muted wide">Switching restarts the app. Close open positions before leaving live: the cockpit stops watching them.</p>
      {applied && (
        <p className="form-message info wide" data-testid="mode-message" role="status">
          {applied}
        </p>
      )}
    </form>
  );
}
