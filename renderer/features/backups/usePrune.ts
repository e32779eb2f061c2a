import { useState } from 'react';

import type { CallOutput } from '../../../shared/ipc/contract';
import { useApi } from '../../platform/ApiProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';

export type Prune = CallOutput<'backup.prune'>;
export type PruneSettings = { keepDaily: number; keepMonthly: number };
export type PruneStatus = 'idle' | 'previewing' | 'pruning';

/** A dry run that previews what retention would remove, then the real prune of exactly those settings. */
export function usePrune(settings: PruneSettings | null) {
  const api = useApi();
  const noteChanged = useBackups((state) => state.actions.noteChanged);
  const [preview, setPreview] = useState<{ settings: PruneSettings; result: Prune } | null>(null);
  const [done, setDone] = useState<Prune | null>(null);
  const [status, setStatus] = useState<PruneStatus>('idle');
  const [error, setError] = useState<unknown>(null);

  const ask = async (dryRun: boolean): Promise<void> => {
    if (!settings) {
      return;
    }
    setStatus(dryRun ? 'previewing' : 'pruning');
    setError(null);
    try {
      const result = await api.call('backup.prune', { ...settings, dryRun });
      if (dryRun) {
        setPreview({ settings, result });
        setDone(null);
      } else {
        setPreview(null);
        setDone(result);
        noteChanged();
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setStatus('idle');
    }
  };

  const isPreviewCurrent =
    preview !== null &&
    settings !== null &&
    preview.settings.keepDaily === settings.keepDaily &&
    preview.settings.keepMonthly === settings.keepMonthly;
  return { preview: isPreviewCurrent ? preview : null, done, status, error, ask };
}
