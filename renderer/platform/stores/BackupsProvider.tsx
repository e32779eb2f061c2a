import { useEffect, useState, type ReactNode } from 'react';

import { useApi } from '../ApiProvider';
import { useLiveStatus } from '../LiveStatusProvider';
import { createStoreContext } from '../storeContext';
import { createBackupsStore, type BackupsState } from './backupsStore';

const backups = createStoreContext<BackupsState>('backups');

export const useBackups = backups.useSelector;

/**
 * Holds backup runs and verify outcomes for the whole app, so a run started on the Backups page (or from the fleet's
 * "Back up all") keeps its progress and results while the technician looks at other pages.
 */
export function BackupsProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [store] = useState(() => createBackupsStore(api));
  const { generation } = useLiveStatus();
  // A new event stream may have missed progress: follow it again; lists reload.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return <backups.Context value={store}>{children}</backups.Context>;
}
