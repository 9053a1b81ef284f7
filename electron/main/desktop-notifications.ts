import { Notification } from 'electron';
import type { EngineEvents } from '../../shared/contract';
import type { EventBus } from '../engine/event-bus';

/** Shows one desktop notification; does nothing where the OS has none. */
export function showDesktopNotification(title: string, body: string, critical: boolean): void {
  if (!Notification.isSupported()) return;
  new Notification({ title, body, urgency: critical ? 'critical' : 'normal' }).show();
}

/** Mirrors the engine's `notification` events on the desktop. Returns the unsubscribe. */
export function forwardEngineNotifications(bus: EventBus): () => void {
  return bus.subscribe((event, payload) => {
    if (event !== 'notification') return;
    const notification = payload as EngineEvents['notification'];
    showDesktopNotification(notification.title, notification.message, notification.level === 'critical');
  });
}
