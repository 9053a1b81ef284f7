import { useCallback, useEffect, useRef, useState } from 'react';
import type { CockpitApi } from '../../../shared/contract';
import type { FlattenReport } from '../../../shared/domain';

export interface PanicState {
  running: boolean;
  /** The last report, from the command's answer or from a `flatten` event (whichever is newer). */
  report: FlattenReport | null;
  error: string | null;
}

/** True for Ctrl+Shift+X (or Cmd+Shift+X): the quick panic inside the window (the app menu item's too); the system-wide chord is a setting (shared/panic-chord.ts). */
export function isPanicShortcut(e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'code' | 'key'>): boolean {
  return (e.ctrlKey || e.metaKey) && e.shiftKey && !e.altKey && (e.code === 'KeyX' || e.key.toLowerCase() === 'x');
}

/** One click or one shortcut flattens everything, with no dialog. */
export function usePanic(api: CockpitApi, lastFlatten: FlattenReport | null): PanicState & { panic: () => void } {
  const [running, setRunning] = useState(false);
  const [answer, setAnswer] = useState<FlattenReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  const panic = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    setRunning(true);
    setError(null);
    void api
      .invoke('flatten', { reason: 'panic button' })
      .then((result) => {
        if (result.ok) setAnswer(result.value);
        else setError(result.error.message);
      })
      .finally(() => {
        inFlight.current = false;
        setRunning(false);
      });
  }, [api]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPanicShortcut(e)) return;
      e.preventDefault();
      panic();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [panic]);

  const report = newestReport(answer, lastFlatten);
  return { running: running || (report !== null && report.finishedAt === null), report, error, panic };
}

/** The newer of two reports of possibly the same flatten; a finished one beats its own progress. */
export function newestReport(a: FlattenReport | null, b: FlattenReport | null): FlattenReport | null {
  if (!a) return b;
  if (!b) return a;
  if (a.id === b.id) return a.finishedAt !== null ? a : b;
  return a.startedAt >= b.startedAt ? a : b;
}
