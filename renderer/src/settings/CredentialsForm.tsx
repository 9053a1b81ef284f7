import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import { LIVE_EXCHANGES, type CredentialStatus, type LiveExchangeId } from '../../../shared/domain';
import { PRACTICE_ACCOUNTS, practiceAccountName, type PracticeChoice } from '../../../shared/practice-accounts';
import { FieldError } from '../forms/FieldError';
import { TradingModeControl } from './TradingModeControl';

type ExchangeId = LiveExchangeId;

const EXCHANGE_NAMES: Record<ExchangeId, string> = { binanceusdm: 'Binance USD-M futures', bybit: 'Bybit', okx: 'OKX' };

const STORAGE_WORDS: Record<CredentialStatus['encryption'], string> = {
  os: 'encrypted by the OS keyring',
  plaintext: 'stored UNENCRYPTED on disk (you accepted this)',
  none: 'kept in memory only, never written to disk',
};
const NEEDS_PASSPHRASE: Record<ExchangeId, boolean> = { binanceusdm: false, bybit: false, okx: true };

/** The practice account a fresh form offers: the stored keys' for their exchange, else demo trading where the exchange has it. */
function initialPractice(exchange: ExchangeId, status: CredentialStatus | null): PracticeChoice {
  if (status?.stored && status.exchange === exchange) return { testnet: status.testnet, demo: status.demo };
  return { testnet: false, demo: PRACTICE_ACCOUNTS[exchange].demo };
}

/**
 * Exchange keys are typed once and sent to the main process; the fields are
 * cleared as soon as they are sent, whatever the answer. Only the masked key
 * and the connection test's result ever come back.
 */
export function CredentialsForm({ api, status, onStatus }: { api: CockpitApi; status: CredentialStatus | null; onStatus: (s: CredentialStatus) => void }) {
  const [exchange, setExchange] = useState<ExchangeId>((status?.exchange as ExchangeId | null) ?? 'binanceusdm');
  const [apiKey, setApiKey] = useState('');
  const [apiSecret, setApiSecret] = useState('');
  const [password, setPassword] = useState('');
  const [practice, setPractice] = useState<PracticeChoice>(() => initialPractice(exchange, status));
  const [acceptPlaintext, setAcceptPlaintext] = useState(false);
  const [plaintextOnly, setPlaintextOnly] = useState(false);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const [testResult, setTestResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const offered = PRACTICE_ACCOUNTS[exchange];

  const save = async () => {
    const input = {
      exchange,
      apiKey: apiKey.trim(),
      apiSecret: apiSecret.trim(),
      testnet: offered.testnet && practice.testnet,
      demo: offered.demo && practice.demo,
      ...(NEEDS_PASSPHRASE[exchange] ? { password } : {}),
      ...(acceptPlaintext ? { acceptPlaintext: true } : {}),
    };
    setApiKey('');
    setApiSecret('');
    setPassword('');
    setBusy(true);
    const result = await api.invoke('credentials.set', input);
    setBusy(false);
    setTestResult(null);
    if (result.ok) {
      setFields({});
      setPlaintextOnly(false);
      setMessage({ tone: 'info', text: `Keys stored: ${STORAGE_WORDS[result.value.encryption]}.` });
      onStatus(result.value);
      return;
    }
    setFields(result.error.fields ?? {});
    if (result.error.code === 'plaintext-storage') setPlaintextOnly(true);
    setMessage({ tone: 'error', text: `${result.error.message} Enter the keys again to retry.` });
  };

  const test = async () => {
    setBusy(true);
    const result = await api.invoke('credentials.test', {});
    setBusy(false);
    setTestResult(result.ok ? result.value : { ok: false, message: result.error.message });
  };

  const clear = async () => {
    const result = await api.invoke('credentials.clear', {});
    if (result.ok) onStatus(result.value);
    setTestResult(null);
    setMessage(result.ok ? { tone: 'info', text: 'Keys removed.' } : { tone: 'error', text: result.error.message });
  };

  return (
    <section className="settings-section" aria-label="Exchange account">
      <h3>Exchange account</h3>
      <div className="credential-status" data-testid="credentials-status">
        {status?.stored ? (
          <>
            <span>{status.exchange}</span> key <code data-testid="credentials-masked-key">{status.maskedKey}</code>
            <span className="muted">
              {' '}
              · {STORAGE_WORDS[status.encryption]} · <span data-testid="credentials-account">{practiceAccountName(status)}</span>
            </span>
          </>
        ) : (
          <span className="muted">No keys stored.</span>
        )}
      </div>
      <form
        className="settings-grid"
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          Exchange
          <select
            data-testid="credentials-exchange"
            value={exchange}
            onChange={(e) => {
              const next = e.target.value as ExchangeId;
              setExchange(next);
              setPractice(initialPractice(next, status));
            }}
          >
            {LIVE_EXCHANGES.map((id) => (
              <option key={id} value={id}>
                {EXCHANGE_NAMES[id]}
              </option>
            ))}
          </select>
        </label>
        <label>
          API key
          <input data-testid="credentials-api-key" type="password" autoComplete="off" spellCheck={false} value={apiKey} onChange={(e) => setApiKey(e.target.value)} />
          <FieldError message={fields.apiKey} />
        </label>
        <label>
          API secret
          <input data-testid="credentials-api-secret" type="password" autoComplete="off" spellCheck={false} value={apiSecret} onChange={(e) => setApiSecret(e.target.value)} />
          <FieldError message={fields.apiSecret} />
        </label>
        {NEEDS_PASSPHRASE[exchange] && (
          <label>
            Passphrase
            <input data-testid="credentials-password" type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} />
            <FieldError message={fields.password} />
          </label>
        )}
        {offered.testnet && (
          <label className="check">
            <input data-testid="credentials-testnet" type="checkbox" checked={practice.testnet} onChange={(e) => setPractice({ testnet: e.target.checked, demo: false })} />
            Testnet keys
            <FieldError message={fields.testnet} />
          </label>
        )}
        {offered.demo && (
          <label className="check">
            <input data-testid="credentials-demo" type="checkbox" checked={practice.demo} onChange={(e) => setPractice({ testnet: false, demo: e.target.checked })} />
            Demo trading keys
            <FieldError message={fields.demo} />
          </label>
        )}
        {plaintextOnly && (
          <label className="check warn">
            <input data-testid="credentials-accept-plaintext" type="checkbox" checked={acceptPlaintext} onChange={(e) => setAcceptPlaintext(e.target.checked)} />
            No OS keyring: store the keys unencrypted on this disk anyway
          </label>
        )}
        <div className="form-actions">
          <button type="submit" className="btn primary" data-testid="credentials-save" disabled={busy || apiKey.trim() === '' || apiSecret.trim() === ''}>
            Save keys
          </button>
          <button type="button" className="btn" data-testid="credentials-test" disabled={busy || !status?.stored} onClick={() => void test()}>
            Test connection
          </button>
          <button type="button" className="btn" data-testid="credentials-clear" disabled={busy || !status?.stored} onClick={() => void clear()}>
            Remove keys
          </button>
        </div>
      </form>
      {message && (
        <p className={`form-message ${message.tone}`} data-testid="credentials-message" role="status">
          {message.text}
        </p>
      )}
      {testResult && (
        <p className={`form-message ${testResult.ok ? 'info' : 'error'}`} data-testid="credentials-test-result" data-ok={testResult.ok}>
          {testResult.ok ? '✓ ' : '✗ '}
          {testResult.message}
        </p>
      )}
      <TradingModeControl api={api} credentials={status} />
    </section>
  );
}
