import { createStore, type StoreApi } from 'zustand/vanilla';

import type { TeamFleetUnit, TeamStatus } from '../../../shared/domain/team';
import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import { coalesce } from '../../platform/coalesce';

export type TeamOrigin = 'team' | 'mine';

export type TeamState = {
  /** null until the first answer arrives. */
  status: TeamStatus | null;
  fleet: TeamFleetUnit[] | null;
  origin: TeamOrigin;
  error: unknown;
  actions: {
    load: () => Promise<void>;
    /** Sync now: the core runs it in the background and reports through team.status events. */
    sync: () => Promise<void>;
    setOrigin: (origin: TeamOrigin) => void;
    connect: () => Unsubscribe;
  };
};

export type TeamStore = StoreApi<TeamState>;

export function createTeamStore(api: WorkstationApi): TeamStore {
  return createStore<TeamState>()((set, get) => {
    const loadFleet = async (): Promise<void> => {
      if (get().status?.joined !== true) {
        set({ fleet: null });
        return;
      }
      set({ fleet: await api.call('team.fleet', { source: 'local' }) });
    };
    const load = coalesce(async () => {
      try {
        set({ status: await api.call('team.status', {}), error: null });
        await loadFleet();
      } catch (error) {
        set({ error });
      }
    });
    const sync = async (): Promise<void> => {
      try {
        const answer = await api.call('team.sync', { wait: false });
        if (answer.started) {
          set((state) => ({ status: state.status ? { ...state.status, syncing: true } : state.status }));
        }
      } catch (error) {
        set({ error });
      }
    };
    const connect = (): Unsubscribe => {
      const stop = api.on('team.status', (status) => {
        const finished = get().status?.syncing === true && !status.syncing;
        set({ status });
        if (finished) {
          // What was pulled changes the team's fleet.
          void loadFleet().catch((error: unknown) => set({ error }));
        }
      });
      void load();
      return stop;
    };
    return {
      status: null,
      fleet: null,
      origin: 'team',
      error: null,
      actions: { load, sync, setOrigin: (origin) => set({ origin }), connect },
    };
  });
}
