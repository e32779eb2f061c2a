import { useEffect, useState } from 'react';

import type { DiagnosisChanges } from '../../../shared/domain/changes';
import { useApi } from '../../platform/ApiProvider';

export type ChangesView = {
  value: DiagnosisChanges | null;
  error: unknown;
  isLoading: boolean;
};

type Answer = { key: string; value: DiagnosisChanges | null; error: unknown };

const IDLE: ChangesView = { value: null, error: null, isLoading: false };

/**
 * What changed in a unit's run (runId, or the newest when undefined) against the one before it. `key` names what
 * the answer depends on (the run, or the unit's last run time): a new key asks again, null asks nothing.
 * Only the answer for the current key is ever shown, however late an older one arrives.
 */
export function useChanges(name: string, runId: string | undefined, key: string | null): ChangesView {
  const api = useApi();
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (key === null) {
      return undefined;
    }
    let isCurrent = true;
    api.call('diagnostics.changes', runId === undefined ? { name } : { name, runId }).then(
      (value) => {
        if (isCurrent) {
          setAnswer({ key, value, error: null });
        }
      },
      (error: unknown) => {
        if (isCurrent) {
          setAnswer({ key, value: null, error });
        }
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, name, runId, key]);

  if (key === null) {
    return IDLE;
  }
  if (answer?.key !== key) {
    return { value: null, error: null, isLoading: true };
  }
  return { value: answer.value, error: answer.error, isLoading: false };
}
