import { createStore, type StoreApi } from 'zustand/vanilla';

import type { HostKeyProbe } from '../../../shared/domain/unit';
import type { WorkstationApi } from '../../../shared/ipc/api';

export type HostKeyStatus = 'idle' | 'probing' | 'probed' | 'trusting' | 'trusted';

export type HostKeyState = {
  status: HostKeyStatus;
  /** What the vehicle presented on the last probe. */
  probe: HostKeyProbe | null;
  /** What the core answered to `units.trust`. */
  trusted: HostKeyProbe | null;
  error: unknown;
  actions: {
    probe: () => Promise<void>;
    trust: () => Promise<void>;
  };
};

export type HostKeyStore = StoreApi<HostKeyState>;

/** Trust on first use, with a human in the loop: probe, show the fingerprint, pin exactly what was shown. */
export function createHostKeyStore(api: WorkstationApi, unit: string): HostKeyStore {
  return createStore<HostKeyState>()((set, get) => ({
    status: 'idle',
    probe: null,
    trusted: null,
    error: null,
    actions: {
      probe: async () => {
        set({ status: 'probing', error: null, trusted: null });
        try {
          const probe = await api.call('units.probeHostKey', { name: unit });
          set({ status: 'probed', probe });
        } catch (error) {
          set({ status: 'idle', error });
        }
      },
      trust: async () => {
        const { probe } = get();
        if (!probe || probe.status !== 'unknown') {
          return;
        }
        set({ status: 'trusting', error: null });
        try {
          // Pin the fingerprint the technician compared, not whatever the vehicle presents now: if the key changed
          // in between, the core refuses instead of silently trusting a key nobody looked at.
          const trusted = await api.call('units.trust', { name: unit, fingerprint: probe.fingerprint });
          set({ status: 'trusted', trusted });
        } catch (error) {
          set({ status: 'probed', error });
        }
      },
    },
  }));
}
