import type { EngineEvents, EventName } from '../../shared/contract';

export type EventListener = <E extends EventName>(event: E, payload: EngineEvents[E]) => void;

/** Fans engine events out to every transport. A throwing listener never stops the others. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit<E extends EventName>(event: E, payload: EngineEvents[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(event, payload);
      } catch {
        // a broken transport must not stop the engine or the other transports
      }
    }
  }
}
