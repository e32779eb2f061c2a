import { useEffect, useState } from 'react';

import type { CallOutput } from '../../../shared/ipc/contract';
import { useApi } from '../../platform/ApiProvider';

export type BackupSummary = CallOutput<'rs485.params.list'>[number];

/** The backups kept for this unit (or the bench), and taking a new one of the bus's modules. */
export function useBackups(busId: string, unit: string | undefined) {
  const api = useApi();
  const [backups, setBackups] = useState<BackupSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isTaking, setTaking] = useState(false);
  const [skipped, setSkipped] = useState<string[]>([]);
  // Bumped after a backup is taken, to list it.
  const [listed, setListed] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    api.call('rs485.params.list', unit ? { unit } : {}).then(
      (list) => isCurrent && setBackups(list),
      (caught: unknown) => isCurrent && setError(caught),
    );
    return () => {
      isCurrent = false;
    };
  }, [api, unit, listed]);

  /** Takes a backup with this note; true when it was taken. */
  const take = async (note: string): Promise<boolean> => {
    setTaking(true);
    setError(null);
    try {
      const trimmed = note.trim();
      const answer = await api.call('rs485.params.backup', {
        busId,
        ...(unit ? { unit } : {}),
        ...(trimmed ? { note: trimmed } : {}),
      });
      setSkipped(answer.skipped);
      setListed((count) => count + 1);
      return true;
    } catch (caught) {
      setError(caught);
      return false;
    } finally {
      setTaking(false);
    }
  };

  return { backups, error, isTaking, skipped, take };
}
