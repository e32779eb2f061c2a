import { createStore } from 'zustand/vanilla';

import type { WorkstationApi } from '../../../shared/ipc/api';
import { defaultDraft } from './busSettingsDraft';
import { busLoaders } from './busLoaders';
import type { BusState, BusStore } from './busState';
import { connectionActions } from './busConnectionSlice';
import { masterActions } from './busMasterSlice';
import { scanActions } from './busScanSlice';
import { simActions } from './busSimSlice';

export * from './busState';

/** Everything the page holds before the first answer from the core. */
function initialBusState(): Omit<BusState, 'actions'> {
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
  };
}

export function createBusStore(api: WorkstationApi): BusStore {
  return createStore<BusState>()((set, get) => {
    const loaders = busLoaders(api, set, get);
    return {
      ...initialBusState(),
      actions: {
        ...connectionActions(api, set, get, loaders),
        ...simActions(api, set, get, loaders),
        ...masterActions(api, set, get),
        ...scanActions(api, set, get),
      },
    };
  });
}
