import { useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { DrillCatalog } from '../../../shared/drills';

/** The header's Drill menu (paper mode): the built-in crash drills and the user's own files; a click starts one. */
export function DrillMenu({ api, running }: { api: CockpitApi; running: boolean }) {
  const [catalog, setCatalog] = useState<DrillCatalog | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    const result = await api.invoke('drill.list', {});
    if (result.ok) {
      setCatalog(result.value);
      setError(result.value.unavailable);
    } else setError(result.error.message);
  };
  const start = async (id: string) => {
    const result = await api.invoke('drill.start', { id });
    if (result.ok) setOpen(false);
    else setError(result.error.message);
  };

  return (
    <span className="drill-menu">
      <button type="button" className="btn" data-testid="drill-menu" aria-expanded={open} onClick={() => void toggle()} title="Rehearse a crash in paper mode">
        Drill
      </button>
      {open && (
        <div className="drill-menu-list" role="menu" data-testid="drill-menu-list">
          {error && (
            <div className="neg" role="alert" data-testid="drill-error">
              {error}
            </div>
          )}
          {catalog?.scenarios.map((s) => (
            <button
              key={s.id}
              type="button"
              role="menuitem"
              className="drill-item"
              data-testid={`drill-start-${s.id}`}
              disabled={running || s.error !== null}
              title={s.error ?? s.description}
              onClick={() => void start(s.id)}
            >
              <strong>{s.name}</strong>
              <span className="muted">{s.error ?? `${s.description} (${Math.round(s.durationS)} s${s.source === 'file' ? ', your file' : ''})`}</span>
            </button>
          ))}
          {catalog && catalog.scenarios.length === 0 && !error && <div className="muted">No drills.</div>}
        </div>
      )}
    </span>
  );
}
