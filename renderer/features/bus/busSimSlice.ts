import type { WorkstationApi } from '../../../shared/ipc/api';
import type { BusLoaders } from './busLoaders';
import type { BusState, GetBusState, SetBusState } from './busState';

/** Starting and stopping simulated buses; a started one becomes the chosen port. */
export function simActions(
  api: WorkstationApi,
  set: SetBusState,
  get: GetBusState,
  loaders: BusLoaders,
): Pick<BusState['actions'], 'startSim' | 'stopSim'> {
  return {
    startSim: async (faults) => {
      if (get().isStartingSim) {
        return;
      }
      set({ isStartingSim: true, simError: null });
      try {
        const { sim } = await api.call('rs485.sim.start', { faults, connect: false });
        set({ selectedPort: sim.port });
        await loaders.loadBuses();
      } catch (error) {
        set({ simError: error });
      } finally {
        set({ isStartingSim: false });
      }
    },
    stopSim: async (simId) => {
      set({ simError: null });
      try {
        await api.call('rs485.sim.stop', { simId });
        const sim = get().sims.find((candidate) => candidate.simId === simId);
        if (sim && get().selectedPort === sim.port) {
          set({ selectedPort: '' });
        }
        await loaders.refresh();
      } catch (error) {
        set({ simError: error });
      }
    },
  };
}
