import type { StoreApi } from 'zustand/vanilla';

import type { Unsubscribe } from '../../../shared/ipc/api';
import type { CallOutput, EventPayload } from '../../../shared/ipc/contract';
import type { BusInfo, ScanResultView, SerialPortView, SimFaultsInput } from '../../../shared/ipc/contracts/rs485';
import type { BusSettingsDraft } from './busSettingsDraft';

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

export type SetBusState = StoreApi<BusState>['setState'];
export type GetBusState = StoreApi<BusState>['getState'];
