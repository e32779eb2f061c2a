import { isAppUrl } from '../security';
import type { IpcInvokeEventLike } from './registerIpcHandlers';

/**
 * Checklist 17: an IPC call is trusted only when it comes from the top frame of a page that is the app
 * itself. An iframe, a page the window was somehow navigated to, or a frame already gone is refused.
 */
export function createSenderValidator(appUrl: string): (event: IpcInvokeEventLike) => boolean {
  return (event) => isTrustedSender(event, appUrl);
}

export function isTrustedSender(event: IpcInvokeEventLike, appUrl: string): boolean {
  const frame = event.senderFrame;
  if (frame === null) {
    return false;
  }
  return frame.parent === null && isAppUrl(frame.url, appUrl);
}
