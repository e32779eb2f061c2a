import { useCallback, useEffect, useRef, useState } from 'react';

import type { BackupSummaryView } from '../../../shared/domain/backup';
import { useApi } from '../../platform/ApiProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';

export type BackupList = {
  /** Newest first; null until the first answer. */
  backups: BackupSummaryView[] | null;
  error: unknown;
  reload: () => void;
};

/** The committed backups (of one unit when named), asked again whenever a run commits one or a prune removes some. */
export function useBackupList(unit: string | undefined, kind: 'backup' | 'snapshot' | 'all' = 'all'): BackupList {
  const api = useApi();
  const listVersion = useBackups((state) => state.listVersion);
  const [backups, setBackups] = useState<BackupSummaryView[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [retries, setRetries] = useState(0);
  const request = useRef(0);

  useEffect(() => {
    const id = ++request.current;
    api.call('backup.list', unit === undefined ? { kind } : { unit, kind }).then(
      (list) => {
        if (id === request.current) {
          setBackups(list);
          setError(null);
        }
      },
      (failure: unknown) => {
        if (id === request.current) {
          setError(failure);
        }
      },
    );
  }, [api, unit, kind, listVersion, retries]);

  const reload = useCallback(() => setRetries((count) => count + 1), []);
  return { backups, error, reload };
}
