import type { Unsubscribe } from '../../shared/ipc/api';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export type LiveStatus = {
  state: LiveState;
  /**
   * Rises on every (re)connection of the event stream. Events sent while it was down are lost, so views that
   * depend on events refetch when it changes.
   */
  generation: number;
};

/** Arrow-typed members: React's useSyncExternalStore receives them unbound. */
export type LiveStatusSource = {
  get: () => LiveStatus;
  subscribe: (listener: () => void) => Unsubscribe;
};

/** Electron's IPC events cannot drop while the window lives: always live, never a resync. */
export const ALWAYS_LIVE: LiveStatusSource = {
  get: () => ALWAYS_LIVE_STATUS,
  subscribe: () => () => undefined,
};
const ALWAYS_LIVE_STATUS: LiveStatus = { state: 'live', generation: 0 };

/** A settable status for the browser bridge; the object is replaced on change, as useSyncExternalStore needs. */
export function createLiveStatus(): LiveStatusSource & { set: (state: LiveState) => void } {
  let status: LiveStatus = { state: 'connecting', generation: 0 };
  const listeners = new Set<() => void>();
  return {
    get: () => status,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set: (state) => {
      const generation = state === 'live' ? status.generation + 1 : status.generation;
      if (state === status.state && generation === status.generation) {
        return;
      }
      status = { state, generation };
      listeners.forEach((listener) => listener());
    },
  };
}
