import type { WorkstationBridge } from '../../shared/ipc/api';
import { IPC_EVENT_CHANNEL, ipcChannelFor, isCallName } from '../../shared/ipc/callNames';
import type { Envelope } from '../../shared/ipc/envelope';

/** Electron's ipcRenderer as far as the bridge uses it, so tests pass a fake and nothing here loads electron. */
export type IpcRendererLike = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
};

/**
 * The page's only way to the core: one invoke per contract call name and one event subscription. The
 * page never gets ipcRenderer, a channel of its choosing, or the IPC event object (whose `sender` would
 * hand it ipcRenderer back). Main validates everything; the bridge only refuses names it does not know.
 */
export function createPreloadBridge(ipc: IpcRendererLike): WorkstationBridge {
  return {
    invoke(name, input) {
      if (!isCallName(name)) {
        const refused: Envelope<unknown> = {
          ok: false,
          error: { code: 'NOT_FOUND', message: `Unknown call: ${String(name)}` },
        };
        return Promise.resolve(refused);
      }
      return ipc.invoke(ipcChannelFor(name), input);
    },
    subscribe(handler) {
      const listener = (_event: unknown, message: unknown): void => {
        if (isEventMessage(message)) {
          handler({ name: message.name, payload: message.payload });
        }
      };
      ipc.on(IPC_EVENT_CHANNEL, listener);
      return () => {
        ipc.removeListener(IPC_EVENT_CHANNEL, listener);
      };
    },
  };
}

function isEventMessage(value: unknown): value is { name: string; payload: unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { name?: unknown }).name === 'string';
}
