import { useSyncExternalStore } from 'react';

import type { TerminalSession } from './terminalSession';

/** A session's status, redrawn when it changes. */
export function useSnapshot(session: TerminalSession) {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
