import { events, type EventName, type EventPayload } from '../../../shared/ipc/contract';
import type { Logger } from './Logger';

/** `to`: the only client the event is for (a stream's data); absent: every listener's business. */
export type CoreEvent = { name: EventName; payload: unknown; to?: string | undefined };
export type EventListener = (event: CoreEvent) => void;

/** Fans core events out to every face that listens; a throwing listener never breaks the others. */
export class EventHub {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly logger: Logger) {}

  emit<E extends EventName>(name: E, payload: EventPayload<E>, to?: string): void {
    const checked = events[name].parse(payload);
    const event: CoreEvent = to === undefined ? { name, payload: checked } : { name, payload: checked, to };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn('event listener failed', { event: name, error: String(error) });
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
