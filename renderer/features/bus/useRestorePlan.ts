import { useEffect, useState } from 'react';

import type { CallOutput } from '../../../shared/ipc/contract';
import { useApi } from '../../platform/ApiProvider';

export type RestorePlan = CallOutput<'rs485.params.planRestore'>;
type RestoreResults = CallOutput<'rs485.params.restore'>['results'];

/** The restore's state: the core's plan asked for at once, the confirmations ticked, each write's result. */
export function useRestorePlan(busId: string, unit: string | undefined, backupId: string) {
  const api = useApi();
  const [plan, setPlan] = useState<RestorePlan | null>(null);
  const [results, setResults] = useState<RestoreResults | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(true);
  const [isChecked, setChecked] = useState(false);
  const [isSafetyChecked, setSafetyChecked] = useState(false);

  useEffect(() => {
    let isCurrent = true;
    api.call('rs485.params.planRestore', { busId, backupId, ...(unit ? { unit } : {}) }).then(
      (answer) => {
        if (isCurrent) {
          setPlan(answer);
          setBusy(false);
        }
      },
      (caught: unknown) => {
        if (isCurrent) {
          setError(caught);
          setBusy(false);
        }
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [api, busId, backupId, unit]);

  const writable = plan ? plan.modules.flatMap((m) => m.differences.filter((d) => d.refused === undefined)) : [];
  const mayRestore = plan !== null && writable.length > 0 && isChecked && (!plan.needsConfirmation || isSafetyChecked);

  const restore = async (): Promise<void> => {
    if (!plan) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await api.call('rs485.params.restore', {
        planId: plan.planId,
        confirm: plan.needsConfirmation && isSafetyChecked,
      });
      setResults(answer.results);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return {
    plan,
    results,
    error,
    isBusy,
    isChecked,
    isSafetyChecked,
    writableCount: writable.length,
    mayRestore,
    setChecked,
    setSafetyChecked,
    restore,
  };
}

export type RestoreState = ReturnType<typeof useRestorePlan>;
