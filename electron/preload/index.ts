import { contextBridge, ipcRenderer } from 'electron';

import { ELECTRON_BRIDGE_GLOBAL } from '../../shared/ipc/faces';
import { createPreloadBridge } from './bridge';

// Sandboxed preload: bundled into one file by scripts/build-electron.mjs; electron is its only require.
contextBridge.exposeInMainWorld(ELECTRON_BRIDGE_GLOBAL, createPreloadBridge(ipcRenderer));
