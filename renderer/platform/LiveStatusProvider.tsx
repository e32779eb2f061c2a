import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';

import { ALWAYS_LIVE, type LiveStatus, type LiveStatusSource } from './liveStatus';

const LiveStatusContext = createContext<LiveStatusSource>(ALWAYS_LIVE);

export function LiveStatusProvider({ source, children }: { source: LiveStatusSource; children: ReactNode }) {
  return <LiveStatusContext value={source}>{children}</LiveStatusContext>;
}

/** The event stream's state; re-renders when it drops or comes back. */
export function useLiveStatus(): LiveStatus {
  const source = useContext(LiveStatusContext);
  return useSyncExternalStore(source.subscribe, source.get);
}
