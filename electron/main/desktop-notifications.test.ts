import { describe, expect, it, vi } from 'vitest';
import { EventBus } from '../engine/event-bus';

const shown = vi.hoisted(() => [] as { title: string; body: string; urgency: string }[]);
vi.mock('electron', () => ({
  Notification: class {
    static isSupported = () => true;
    constructor(private readonly options: { title: string; body: string; urgency: string }) {}
    show() {
      shown.push(this.options);
    }
  },
}));

const { forwardEngineNotifications } = await import('./desktop-notifications');

describe('desktop notifications', () => {
  it("shows the engine's notifications, critical ones as critical, and nothing else", () => {
    const bus = new EventBus();
    const stop = forwardEngineNotifications(bus);
    bus.emit('notification', { id: '1', level: 'critical', title: 'Breaker tripped', message: 'Daily loss limit', time: 0 });
    bus.emit('notification', { id: '2', level: 'info', title: 'Filled', message: 'BTC long', time: 0 });
    bus.emit('journal', { seq: 1, time: 0, type: 'x', data: null });
    stop();
    bus.emit('notification', { id: '3', level: 'info', title: 'after stop', message: '', time: 0 });
    expect(shown).toEqual([
      { title: 'Breaker tripped', body: 'Daily loss limit', urgency: 'critical' },
      { title: 'Filled', body: 'BTC long', urgency: 'normal' },
    ]);
  });
});
