import type { WorkstationApi } from '../../../shared/ipc/api';
import type { BusState, GetBusState, SetBusState } from './busState';

type MasterActions = Pick<BusState['actions'], 'chooseUnit' | 'checkSecondMaster' | 'decideMaster' | 'firmwareStopped'>;

/** The unit whose bus this is, and how the second-master question was settled for it. */
export function masterActions(api: WorkstationApi, set: SetBusState, get: GetBusState): MasterActions {
  return {
    chooseUnit: async (unit) => {
      set({ unit, secondMaster: null, secondMasterError: null, masterDecision: 'none', firmwareUndo: null });
      if (unit !== null) {
        await get().actions.checkSecondMaster();
      }
    },
    checkSecondMaster: async () => {
      const { unit } = get();
      if (unit === null) {
        return;
      }
      set({ isCheckingMaster: true, secondMasterError: null });
      try {
        const secondMaster = await api.call('rs485.secondMaster', { unit });
        // The answer of a unit chosen meanwhile is not this one's.
        if (get().unit === unit) {
          set({ secondMaster });
        }
      } catch (error) {
        if (get().unit === unit) {
          set({ secondMasterError: error });
        }
      } finally {
        set({ isCheckingMaster: false });
      }
    },
    decideMaster: (masterDecision) => set({ masterDecision }),
    firmwareStopped: (undo) => {
      set({ masterDecision: 'stopped', firmwareUndo: undo });
      void get().actions.checkSecondMaster();
    },
  };
}
