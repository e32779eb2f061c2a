import type { IpcInvokeEventLike, IpcMainLike } from '../../../electron/main/ipc/registerIpcHandlers';

type Handler = (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>;

/** ipcMain without Electron: keeps the registered handlers and lets a test invoke them as a frame would. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) {
      // Electron throws on a second handler for one channel; so does the fake.
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  get channels(): string[] {
    return [...this.handlers.keys()];
  }

  async invoke(channel: string, event: IpcInvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (handler === undefined) {
      throw new Error(`No handler registered for '${channel}'`);
    }
    return handler(event, ...args);
  }
}

/** An invoke event as Electron builds it, from a frame at url; `parent` non-null makes it a sub-frame. */
export function fakeInvokeEvent(url: string, parent: unknown = null): IpcInvokeEventLike {
  return { senderFrame: { url, parent } };
}
