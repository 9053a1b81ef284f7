import { useState } from 'react';
import type { CockpitApi, CommandInput } from '../../../shared/contract';
import type { StrategyFileView, StrategyStatus } from '../../../shared/domain';
import type { StrategyFileSettings } from '../../../shared/settings';
import { StrategyFileRow } from './StrategyFileRow';

/** Which strategies run (the built-ins and the user's files), and whether they execute on their own or wait for approval. */
export function StrategiesPanel({
  api,
  strategies,
  files,
  fileSettings,
  symbols,
}: {
  api: CockpitApi;
  strategies: readonly StrategyStatus[];
  files: readonly StrategyFileView[];
  fileSettings: readonly StrategyFileSettings[];
  symbols: readonly string[];
}) {
  const [error, setError] = useState<string | null>(null);
  const [folder, setFolder] = useState<string | null>(null);
  const set = async (input: CommandInput<'strategy.set'>): Promise<boolean> => {
    const result = await api.invoke('strategy.set', input);
    setError(result.ok ? null : result.error.message);
    return result.ok;
  };
  const openFolder = async () => {
    const result = await api.invoke('strategies.folder', {});
    if (!result.ok) return setError(result.error.message);
    setFolder(result.value.opened ? null : result.value.path);
  };
  const builtIns = strategies.filter((s) => !s.id.startsWith('file:'));
  return (
    <section className="settings-section" data-testid="strategies" aria-label="Strategies">
      <h3>Strategies</h3>
      {builtIns.length === 0 && <p className="muted">No strategies reported.</p>}
      <table className="data-table">
        <tbody>
          {builtIns.map((s) => (
            <tr key={s.id} data-testid="strategy" data-id={s.id}>
              <td>{s.label}</td>
              <td>
                <label className="check">
                  <input type="checkbox" checked={s.enabled} onChange={(e) => void set({ id: s.id, enabled: e.target.checked })} /> enabled
                </label>
              </td>
              <td>
                <label className="check" title="Execute proposals without waiting for approval">
                  <input type="checkbox" checked={s.auto} onChange={(e) => void set({ id: s.id, auto: e.target.checked })} /> auto
                </label>
              </td>
              <td className={s.running ? 'pos' : 'muted'}>{s.running ? 'running' : 'idle'}</td>
              <td className="neg">{s.haltedReason ? `Halted: ${s.haltedReason}` : s.lastError}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h4>Your strategy files</h4>
      <p className="muted">
        Each .ts, .js or .mjs file in the strategies folder is loaded, and read again when it changes.{' '}
        <button type="button" className="btn-small" data-testid="strategies-open-folder" onClick={() => void openFolder()}>
          Open strategies folder
        </button>
      </p>
      {folder && (
        <p className="muted" data-testid="strategies-folder-path">
          The strategies folder: <code>{folder}</code>
        </p>
      )}
      {files.length === 0 && <p className="muted">No strategy files yet.</p>}
      {files.map((view) => (
        <StrategyFileRow
          key={view.id}
          view={view}
          config={fileSettings.find((c) => c.id === view.id)}
          status={strategies.find((s) => s.id === view.id)}
          symbols={symbols}
          onSet={(change) => set({ id: view.id, ...change })}
        />
      ))}
      {error && (
        <p className="form-message error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
