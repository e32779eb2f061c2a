import type { WorkstationApi } from '../../../shared/ipc/api';
import { checkDraft } from './busSettingsDraft';
import type { BusLoaders } from './busLoaders';
import { isMasterSettled, type BusState, type GetBusState, type SetBusState } from './busState';

type ConnectionActions = Pick<
  BusState['actions'],
  'connect' | 'refresh' | 'selectPort' | 'setDraft' | 'connectBus' | 'release' | 'useBus' | 'dismissNotice'
>;

/** Choosing an adapter and its settings, holding the bus and letting it go. */
export function connectionActions(
  api: WorkstationApi,
  set: SetBusState,
  get: GetBusState,
  loaders: BusLoaders,
): ConnectionActions {
  return {
    connect: () => {
      const stop = loaders.listen();
      void loaders.refresh();
      return stop;
    },
    refresh: loaders.refresh,
    selectPort: (path) => set({ selectedPort: path, connectError: null }),
    setDraft: (change) => set({ draft: { ...get().draft, ...change } }),
    connectBus: async () => {
      const state = get();
      if (state.isConnecting || state.selectedPort === '' || !isMasterSettled(state)) {
        return;
      }
      const checked = checkDraft(state.draft);
      set({ hasTriedConnect: true });
      if (!checked.ok) {
        return;
      }
      set({ isConnecting: true, connectError: null, notice: null });
      try {
        const bus = await api.call('rs485.connect', { port: state.selectedPort, settings: checked.settings });
        set({ busId: bus.busId, scan: null, scanProgress: null, scanError: null, slave: null, tab: 'scan' });
        await loaders.loadBuses();
        set({ busId: bus.busId });
      } catch (error) {
        set({ connectError: error });
      } finally {
        set({ isConnecting: false });
      }
    },
    release: async (busId) => {
      if (get().isReleasing) {
        return;
      }
      const port = get().buses.find((bus) => bus.busId === busId)?.port ?? '';
      set({ isReleasing: true, releaseError: null });
      try {
        const { released } = await api.call('rs485.release', { busId });
        if (get().busId === busId) {
          set({ busId: null, scan: null, scanProgress: null, slave: null, isScanning: false });
        }
        if (released) {
          set({ notice: { kind: 'released', port } });
        }
        await loaders.refresh();
      } catch (error) {
        set({ releaseError: error });
      } finally {
        set({ isReleasing: false });
      }
    },
    useBus: loaders.showBus,
    dismissNotice: () => set({ notice: null }),
  };
}
