import { serializeError } from '../../../shared/errors/AppError';
import { CALL_NAMES, ipcChannelFor, type CallName } from '../../../shared/ipc/contract';
import type { Envelope } from '../../../shared/ipc/envelope';
import type { Logger } from '../../core/ports/Logger';

/** The parts of Electron's WebFrameMain the sender check reads. */
export type SenderFrameLike = { readonly url: string; readonly parent: unknown };

/** The parts of Electron's IpcMainInvokeEvent the handlers read. */
export type IpcInvokeEventLike = { readonly senderFrame: SenderFrameLike | null };

/** Electron's ipcMain as far as this module uses it, so tests pass a fake and nothing here loads electron. */
export type IpcMainLike = {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
};

export type IpcDispatch = (name: CallName, input: unknown) => Promise<Envelope<unknown>>;

/**
 * One handler per contract call on its prefixed channel, and nothing else. Every handler checks the
 * sender before anything (checklist 17), then hands the input to the core, which validates it.
 * Returns a function that removes them all.
 */
export function registerIpcHandlers(
  ipc: IpcMainLike,
  dispatch: IpcDispatch,
  isTrustedSender: (event: IpcInvokeEventLike) => boolean,
  logger?: Logger,
): () => void {
  const channels = CALL_NAMES.map((name) => {
    const channel = ipcChannelFor(name);
    ipc.handle(channel, async (event, input) => {
      if (!isTrustedSender(event)) {
        logger?.warn('IPC call from an untrusted frame refused', { channel, frameUrl: event.senderFrame?.url });
        return refused;
      }
      try {
        return await dispatch(name, input);
      } catch (error) {
        // The core answers envelopes; if it throws anyway, the renderer still gets one.
        logger?.error('dispatch threw instead of answering an envelope', { call: name, error: String(error) });
        return { ok: false, error: serializeError(error) } satisfies Envelope<unknown>;
      }
    });
    return channel;
  });
  return () => {
    for (const channel of channels) {
      ipc.removeHandler(channel);
    }
  };
}

const refused: Envelope<unknown> = {
  ok: false,
  error: { code: 'UNAUTHORIZED', message: 'This window is not allowed to call the workstation' },
};
