import type { WorkstationApi } from '../../../shared/ipc/api';
import type { ScanResultView } from '../../../shared/ipc/contracts/rs485';
import type { BusState, GetBusState, SetBusState } from './busState';

type ScanActions = Pick<
  BusState['actions'],
  'setScanRange' | 'scan' | 'scanThoroughly' | 'cancelScan' | 'selectSlave' | 'showTab'
>;

/** A thorough scan of a few addresses folded into the quick scan it follows up. */
function mergeScans(quick: ScanResultView, thorough: ScanResultView, addresses: readonly number[]): ScanResultView {
  const asked = new Set(addresses);
  const keep = <T extends { address: number }>(items: readonly T[]): T[] => items.filter((i) => !asked.has(i.address));
  return {
    ...quick,
    modules: [...keep(quick.modules), ...thorough.modules].sort((a, b) => a.address - b.address),
    suspects: [...keep(quick.suspects), ...thorough.suspects].sort((a, b) => a.address - b.address),
    expectedMissing: [...keep(quick.expectedMissing), ...thorough.expectedMissing],
  };
}

/** Scanning the bus for modules, choosing one, and the workspace tab on show. */
export function scanActions(api: WorkstationApi, set: SetBusState, get: GetBusState): ScanActions {
  return {
    setScanRange: (scanFrom, scanTo) => set({ scanFrom, scanTo }),
    scan: async () => {
      const { busId, isScanning, scanFrom, scanTo } = get();
      if (busId === null || isScanning) {
        return;
      }
      set({ isScanning: true, scanError: null, scanProgress: null });
      try {
        const scan = await api.call('rs485.scan', { busId, from: Number(scanFrom), to: Number(scanTo) });
        if (get().busId === busId) {
          const { slave } = get();
          const kept = scan.modules.some((module) => module.address === slave) ? slave : null;
          set({ scan, slave: kept ?? scan.modules[0]?.address ?? null });
        }
      } catch (error) {
        set({ scanError: error });
      } finally {
        set({ isScanning: false });
      }
    },
    scanThoroughly: async (addresses) => {
      const { busId, isScanning } = get();
      if (busId === null || isScanning || addresses.length === 0) {
        return;
      }
      set({ isScanning: true, scanError: null, scanProgress: null });
      try {
        const thorough = await api.call('rs485.scan', { busId, addresses, thorough: true });
        const quick = get().scan;
        if (get().busId === busId) {
          set({ scan: quick ? mergeScans(quick, thorough, addresses) : thorough });
        }
      } catch (error) {
        set({ scanError: error });
      } finally {
        set({ isScanning: false });
      }
    },
    cancelScan: async () => {
      const { busId } = get();
      if (busId === null) {
        return;
      }
      try {
        await api.call('rs485.scan.cancel', { busId });
      } catch (error) {
        set({ scanError: error });
      }
    },
    selectSlave: (slave) => set(slave === null ? { slave } : { slave, tab: 'module' }),
    showTab: (tab) => set({ tab }),
  };
}
