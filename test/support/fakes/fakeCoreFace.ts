import type { Envelope } from '../../../shared/ipc/envelope';

type CoreEvent = { name: string; payload: unknown; to?: string };

/**
 * What a face gets from the core (dispatch and subscribe) without a core: records every call and
 * answers with `reply`, which a test may replace; `emit` pushes an event to every subscriber.
 */
export function createFakeCoreFace() {
  const calls: { name: unknown; input: unknown; client?: string | undefined }[] = [];
  const released: string[] = [];
  const listeners = new Set<(event: CoreEvent) => void>();
  const face = {
    calls,
    released,
    releaseClient: async (client: string): Promise<void> => {
      released.push(client);
    },
    reply: (name: unknown, input: unknown): Promise<Envelope<unknown>> =>
      Promise.resolve({ ok: true, value: { echoed: { name, input } } }),
    dispatch: (name: unknown, input: unknown, caller?: { client?: string | undefined }): Promise<Envelope<unknown>> => {
      calls.push(caller?.client === undefined ? { name, input } : { name, input, client: caller.client });
      return face.reply(name, input);
    },
    subscribe: (listener: (event: CoreEvent) => void): (() => void) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    emit: (event: CoreEvent): void => {
      for (const listener of listeners) {
        listener(event);
      }
    },
    get subscriberCount(): number {
      return listeners.size;
    },
  };
  return face;
}
