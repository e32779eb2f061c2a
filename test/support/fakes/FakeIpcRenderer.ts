import type { IpcRendererLike } from '../../../electron/preload/bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** ipcRenderer without Electron: records invokes, answers them with `reply`, and lets a test send events. */
export class FakeIpcRenderer implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  reply: (channel: string, ...args: unknown[]) => Promise<unknown> = () => Promise.resolve({ ok: true, value: null });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return this.reply(channel, ...args);
  }

  on(channel: string, listener: Listener): this {
    const set = this.listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(channel, set);
    return this;
  }

  removeListener(channel: string, listener: Listener): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }

  listenerCount(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  /** What main's webContents.send(channel, message) looks like from the preload. */
  send(channel: string, message: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) {
      listener({ sender: 'the IpcRendererEvent the page must never see' }, message);
    }
  }
}
