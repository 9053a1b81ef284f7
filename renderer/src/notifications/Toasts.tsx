import { useEffect, useRef } from 'react';
import type { Notification } from '../../../shared/domain';

const AUTO_DISMISS_MS: Record<Notification['level'], number | null> = { info: 6_000, warning: 12_000, critical: null };

/**
 * In-app toasts; critical ones stay until dismissed. (Desktop notifications
 * come from the Electron main process, which sees the same engine events.)
 */
export function Toasts({ notifications, onDismiss }: { notifications: readonly Notification[]; onDismiss: (id: string) => void }) {
  const scheduled = useRef(new Map<string, ReturnType<typeof setTimeout> | null>());
  useEffect(() => {
    for (const n of notifications) {
      if (scheduled.current.has(n.id)) continue;
      const ms = AUTO_DISMISS_MS[n.level];
      scheduled.current.set(n.id, ms === null ? null : setTimeout(() => onDismiss(n.id), ms));
    }
  }, [notifications, onDismiss]);
  useEffect(() => {
    const timers = scheduled.current;
    return () => {
      timers.forEach((timer) => timer && clearTimeout(timer));
      timers.clear();
    };
  }, []);

  return (
    <div className="toasts" aria-live="assertive">
      {notifications.slice(-5).map((n) => (
        <div key={n.id} className={`toast toast-${n.level}`} data-testid="toast" data-level={n.level} role={n.level === 'critical' ? 'alert' : 'status'}>
          <strong>{n.title}</strong>
          <span>{n.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => onDismiss(n.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
