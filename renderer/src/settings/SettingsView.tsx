import type { CockpitApi } from '../../../shared/contract';
import type { CredentialStatus, StrategyFileView, StrategyStatus } from '../../../shared/domain';
import type { Settings } from '../../../shared/settings';
import { CredentialsForm } from './CredentialsForm';
import { SettingsForm } from './SettingsForm';
import { StrategiesPanel } from './StrategiesPanel';

/** The settings drawer: exchange keys, strategies, and every risk and breaker setting. */
export function SettingsView({
  api,
  settings,
  credentials,
  strategies,
  strategyFiles,
  onCredentials,
  onClose,
}: {
  api: CockpitApi;
  settings: Settings | null;
  credentials: CredentialStatus | null;
  strategies: readonly StrategyStatus[];
  strategyFiles: readonly StrategyFileView[];
  onCredentials: (status: CredentialStatus) => void;
  onClose: () => void;
}) {
  return (
    <div className="drawer-backdrop" onClick={onClose}>
      <aside className="drawer" data-testid="settings" aria-label="Settings" onClick={(e) => e.stopPropagation()}>
        <header className="drawer-header">
          <h2>Settings</h2>
          <button type="button" className="btn-small" data-testid="settings-close" onClick={onClose} aria-label="Close settings">
            Close (Esc)
          </button>
        </header>
        <CredentialsForm api={api} status={credentials} onStatus={onCredentials} />
        <StrategiesPanel api={api} strategies={strategies} files={strategyFiles} fileSettings={settings?.strategyFiles ?? []} symbols={settings?.symbols ?? []} />
        {settings ? <SettingsForm api={api} settings={settings} /> : <p className="muted">Loading settings…</p>}
      </aside>
    </div>
  );
}
