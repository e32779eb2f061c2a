import { createStore, type StoreApi } from 'zustand/vanilla';

import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import type { CallOutput, EventPayload } from '../../../shared/ipc/contract';
import type { BusInfo, ScanResultView, SerialPortView, SimFaultsInput } from '../../../shared/ipc/contracts/rs485';
import { coalesce } from '../../platform/coalesce';
import { checkDraft, defaultDraft, draftOf, type BusSettingsDraft } from './busSettingsDraft';

export type SimInfo = CallOutput<'rs485.sim.list'>[number];
export type SecondMasterView = CallOutput<'rs485.secondMaster'>;
export type ScanProgress = EventPayload<'rs485.scanProgress'>;

/** What happened to the adapters or the bus lately, said once on the page (hot-plug, a bus lost). */
export type BusNotice =
  | { kind: 'port-added' | 'port-removed'; port: string }
  | { kind: 'bus-lost'; port: string; reason: string | null }
  | { kind: 'released'; port: string };

/**
 * How the technician settled the second-master question for the chosen unit: not asked yet, the firmware was
 * stopped here, or the adapter is on a bench bus the vehicle's firmware does not poll.
 */
export type MasterDecision = 'none' | 'stopped' | 'bench';

/** The workspace's tabs beside the module list, in the order they are shown. Add a tab here and in BusPage's panels. */
export const BUS_TABS = ['module', 'scan', 'monitor', 'health', 'backups', 'connection'] as const;
export type BusTab = (typeof BUS_TABS)[number];

export type BusState = {
  ports: SerialPortView[] | null;
  portsError: unknown;
  sims: SimInfo[];
  buses: BusInfo[];
  /** The bus this page works on; null when none is connected. */
  busId: string | null;
  selectedPort: string;
  draft: BusSettingsDraft;
  /** Problems are shown only once the technician tried to connect with them. */
  hasTriedConnect: boolean;
  isConnecting: boolean;
  connectError: unknown;
  isReleasing: boolean;
  releaseError: unknown;
  notice: BusNotice | null;
  simError: unknown;
  isStartingSim: boolean;

  /** The unit whose bus this is, for the second-master check, the history and the audit; null: a bench bus. */
  unit: string | null;
  secondMaster: SecondMasterView | null;
  secondMasterError: unknown;
  isCheckingMaster: boolean;
  masterDecision: MasterDecision;
  /** How to start the firmware again, once it was stopped from this page: the technician must not forget it. */
  firmwareUndo: string[] | null;

  scanFrom: string;
  scanTo: string;
  isScanning: boolean;
  scanProgress: ScanProgress | null;
  scan: ScanResultView | null;
  scanError: unknown;
  /** The module whose registers are on show. */
  slave: number | null;
  /** The workspace tab on show once a bus is held. */
  tab: BusTab;

  actions: {
    connect: () => Unsubscribe;
    refresh: () => Promise<void>;
    selectPort: (path: string) => void;
    setDraft: (change: Partial<BusSettingsDraft>) => void;
    connectBus: () => Promise<void>;
    release: (busId: string) => Promise<void>;
    useBus: (busId: string) => void;
    startSim: (faults: SimFaultsInput) => Promise<void>;
    stopSim: (simId: string) => Promise<void>;
    dismissNotice: () => void;
    chooseUnit: (unit: string | null) => Promise<void>;
    checkSecondMaster: () => Promise<void>;
    decideMaster: (decision: MasterDecision) => void;
    firmwareStopped: (undo: string[]) => void;
    setScanRange: (from: string, to: string) => void;
    scan: () => Promise<void>;
    /** The addresses again, with the bus's own timeout and retries: the expected modules a quick scan missed. */
    scanThoroughly: (addresses: number[]) => Promise<void>;
    cancelScan: () => Promise<void>;
    /** Choose a module: its registers come to the front. */
    selectSlave: (slave: number | null) => void;
    showTab: (tab: BusTab) => void;
  };
};

export type BusStore = StoreApi<BusState>;

/** The second master is settled: no unit (a bench bus), nothing else polls, or the technician chose what to do. */
export function isMasterSettled(state: Pick<BusState, 'unit' | 'secondMaster' | 'masterDecision'>): boolean {
  if (state.unit === null || state.masterDecision !== 'none') {
    return true;
  }
  return state.secondMaster !== null && state.secondMaster.hazard === 'none' && state.secondMaster.mayProceed;
}

/** The unit the core should file readings and writes under: none on a bench bus. */
export function unitForCalls(state: Pick<BusState, 'unit' | 'masterDecision'>): string | undefined {
  return state.unit !== null && state.masterDecision !== 'bench' ? state.unit : undefined;
}

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

export function createBusStore(api: WorkstationApi): BusStore {
  return createStore<BusState>()((set, get) => {
    /** The page shows this bus: its settings are what the form shows, as the bus was connected with them. */
    const showBus = (busId: string | null): void => {
      const bus = get().buses.find((candidate) => candidate.busId === busId);
      set({
        busId,
        scan: null,
        scanProgress: null,
        slave: null,
        tab: 'scan',
        ...(bus ? { draft: draftOf(bus.settings) } : {}),
      });
    };

    const loadPorts = async (): Promise<void> => {
      try {
        const ports = await api.call('rs485.ports', {});
        set({ ports, portsError: null });
      } catch (error) {
        set({ portsError: error });
      }
    };

    const loadBuses = async (): Promise<void> => {
      try {
        const [buses, sims] = await Promise.all([api.call('rs485.buses', {}), api.call('rs485.sim.list', {})]);
        const { busId } = get();
        // Keep the bus on show while it lives; otherwise follow the one bus there is (connected elsewhere too).
        const kept = busId !== null && buses.some((bus) => bus.busId === busId) ? busId : (buses[0]?.busId ?? null);
        set({ buses, sims });
        if (kept !== busId) {
          showBus(kept);
        }
      } catch (error) {
        set({ portsError: error });
      }
    };

    const refresh = coalesce(async () => {
      await Promise.all([loadPorts(), loadBuses()]);
    });

    const onPortsChanged = (event: EventPayload<'rs485.portsChanged'>): void => {
      set({
        ports: event.ports,
        notice: { kind: event.kind === 'added' ? 'port-added' : 'port-removed', port: event.port.path },
      });
      // A newly plugged adapter is what the technician wants next, unless a port is already chosen; a pulled one
      // can no longer be chosen.
      if (event.kind === 'added' && get().selectedPort === '') {
        set({ selectedPort: event.port.path });
      }
      if (event.kind === 'removed' && get().selectedPort === event.port.path) {
        set({ selectedPort: '' });
      }
    };

    const onBusChanged = (event: EventPayload<'rs485.busChanged'>): void => {
      if (event.state === 'lost') {
        set({ notice: { kind: 'bus-lost', port: event.port, reason: event.reason } });
      }
      if (event.busId === get().busId && event.state !== 'connected') {
        set({ isScanning: false, scanProgress: null });
      }
      void refresh();
    };

    const onScanProgress = (event: ScanProgress): void => {
      if (event.busId === get().busId) {
        set({ scanProgress: event });
      }
    };

    return {
      ports: null,
      portsError: null,
      sims: [],
      buses: [],
      busId: null,
      selectedPort: '',
      draft: defaultDraft(),
      hasTriedConnect: false,
      isConnecting: false,
      connectError: null,
      isReleasing: false,
      releaseError: null,
      notice: null,
      simError: null,
      isStartingSim: false,
      unit: null,
      secondMaster: null,
      secondMasterError: null,
      isCheckingMaster: false,
      masterDecision: 'none',
      firmwareUndo: null,
      scanFrom: '1',
      scanTo: '16',
      isScanning: false,
      scanProgress: null,
      scan: null,
      scanError: null,
      slave: null,
      tab: 'scan',
      actions: {
        connect: () => {
          const stops = [
            api.on('rs485.portsChanged', onPortsChanged),
            api.on('rs485.busChanged', onBusChanged),
            api.on('rs485.scanProgress', onScanProgress),
          ];
          void refresh();
          return () => stops.forEach((stop) => stop());
        },
        refresh,
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
            await loadBuses();
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
            await refresh();
          } catch (error) {
            set({ releaseError: error });
          } finally {
            set({ isReleasing: false });
          }
        },
        useBus: showBus,
        startSim: async (faults) => {
          if (get().isStartingSim) {
            return;
          }
          set({ isStartingSim: true, simError: null });
          try {
            const { sim } = await api.call('rs485.sim.start', { faults, connect: false });
            set({ selectedPort: sim.port });
            await loadBuses();
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
            await refresh();
          } catch (error) {
            set({ simError: error });
          }
        },
        dismissNotice: () => set({ notice: null }),
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
      },
    };
  });
}
