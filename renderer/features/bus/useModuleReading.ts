import { useEffect, useState } from 'react';

import type { ModuleReading } from '../../../shared/ipc/contracts/rs485';
import { useApi } from '../../platform/ApiProvider';

/** Pause between the end of one read of the module and the start of the next. */
export const REFRESH_MS = 1000;

export type ModuleReadingState = {
  reading: ModuleReading | null;
  error: unknown;
  /** Reads so far, so a test and the technician can see it is still refreshing. */
  reads: number;
  /** Reads once more now (after a write, or while paused). */
  readNow: () => void;
};

/**
 * The module's decoded registers, read again a second after each read finishes while not paused: one read in
 * flight at a time, so a slow module never piles requests up on the bus. Mount it keyed by bus and slave.
 */
export function useModuleReading(busId: string, slave: number, isPaused: boolean): ModuleReadingState {
  const api = useApi();
  const [reading, setReading] = useState<ModuleReading | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reads, setReads] = useState(0);
  const [nudge, setNudge] = useState(0);

  useEffect(() => {
    let isCurrent = true;
    let timer: number | undefined;
    const read = async (): Promise<void> => {
      try {
        const next = await api.call('rs485.readModule', { busId, slave });
        if (isCurrent) {
          setReading(next);
          setError(null);
          setReads((count) => count + 1);
        }
      } catch (caught) {
        if (isCurrent) {
          setError(caught);
        }
      }
      if (isCurrent && !isPaused) {
        timer = window.setTimeout(() => void read(), REFRESH_MS);
      }
    };
    void read();
    return () => {
      isCurrent = false;
      window.clearTimeout(timer);
    };
  }, [api, busId, slave, isPaused, nudge]);

  return { reading, error, reads, readNow: () => setNudge((n) => n + 1) };
}
