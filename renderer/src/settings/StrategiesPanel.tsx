import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { StrategyStatus } from '../../../shared/domain';

/** Which strategies run, and whether they execute on their own or wait for approval. */
export function StrategiesPanel({ api, strategies }: { api: CockpitApi; strategies: readonly StrategyStatus[] }) {
  const [error, setError] = useState<string | null>(null);
  const set = async (id: string, change: { enabled?: boolean; auto?: boolean }) => {
    const result = await api.invoke('strategy.set', { id, ...change });
    setError(result.ok ? null : result.error.message);
  };
  return (
    <section className="settings-section" data-testid="strategies" aria-label="Strategies">
      <h3>Strategies</h3>
      {strategies.length === 0 && <p className="muted">No strategies reported.</p>}
      <table className="data-table">
        <tbody>
          {strategies.map((s) => (
            <tr key={s.id} data-testid="strategy" data-id={s.id}>
              <td>{s.label}</td>
              <td>
                <label className="check">
                  <input type="checkbox" checked={s.enabled} onChange={(e) => void set(s.id, { enabled: e.target.checked })} /> enabled
                </label>
              </td>
              <td>
                <label className="check" title="Execute proposals without waiting for approval">
                  <input type="checkbox" checked={s.auto} onChange={(e) => void set(s.id, { auto: e.target.checked })} /> auto
                </label>
              </td>
              <td className={s.running ? 'pos' : 'muted'}>{s.running ? 'running' : 'idle'}</td>
              <td className="neg">{s.haltedReason ? `Halted: ${s.haltedReason}` : s.lastError}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {error && (
        <p className="form-message error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
