import type { WorkstationBridge } from '../../shared/ipc/api';
import { ELECTRON_BRIDGE_GLOBAL } from '../../shared/ipc/faces';

/** The bridge the Electron preload put on the window, if this page runs inside Electron. */
export function findElectronBridge(global: object): WorkstationBridge | null {
  const candidate: unknown = (global as Record<string, unknown>)[ELECTRON_BRIDGE_GLOBAL];
  if (
    typeof candidate === 'object' &&
    candidate !== null &&
    'invoke' in candidate &&
    typeof candidate.invoke === 'function' &&
    'subscribe' in candidate &&
    typeof candidate.subscribe === 'function'
  ) {
    return candidate as WorkstationBridge;
  }
  return null;
}
