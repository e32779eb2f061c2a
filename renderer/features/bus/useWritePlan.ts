import { useCallback, useEffect, useState, type Dispatch, type SetStateAction } from 'react';

import type { ModuleReading, WritePlanView, WriteResultView } from '../../../shared/ipc/contracts/rs485';
import { useApi } from '../../platform/ApiProvider';

type Target = { busId: string; slave: number; reading: ModuleReading; unit: string | undefined; isClear: boolean };

/** The write's state: the plan the core made, the confirmations ticked, the verified result. */
export function useWritePlan({ busId, slave, reading, unit, isClear }: Target) {
  const api = useApi();
  const [plan, setPlan] = useState<WritePlanView | null>(null);
  const [result, setResult] = useState<WriteResultView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [isChecked, setChecked] = useState(false);
  const [isSafetyChecked, setSafetyChecked] = useState(false);

  const makePlan = useCallback(
    async (register: string, value: string): Promise<void> => {
      setBusy(true);
      setError(null);
      setChecked(false);
      setSafetyChecked(false);
      try {
        const next = await api.call(
          'rs485.planWrite',
          isClear
            ? { busId, slave, type: reading.type, action: 'clearErrors', ...(unit ? { unit } : {}) }
            : { busId, slave, type: reading.type, action: 'write', register, value, ...(unit ? { unit } : {}) },
        );
        setPlan(next);
      } catch (caught) {
        setError(caught);
      } finally {
        setBusy(false);
      }
    },
    [api, busId, slave, reading.type, isClear, unit],
  );

  useClearErrorsPlan({ busId, slave, reading, unit, isClear }, setPlan, setError);

  const apply = async (): Promise<void> => {
    if (!plan) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setResult(
        await api.call('rs485.applyWrite', { planId: plan.planId, confirm: plan.needsConfirmation && isSafetyChecked }),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const needsSafety = plan !== null && (plan.needsConfirmation || (plan.register?.safetyCritical ?? false));
  const mayApply =
    plan !== null && plan.refused === undefined && !plan.unchanged && isChecked && (!needsSafety || isSafetyChecked);

  return {
    plan,
    result,
    error,
    isBusy,
    isChecked,
    isSafetyChecked,
    needsSafety,
    mayApply,
    setChecked,
    setSafetyChecked,
    clearPlan: () => setPlan(null),
    makePlan,
    apply,
  };
}

export type WritePlanState = ReturnType<typeof useWritePlan>;

/** Clearing errors has nothing to choose: its plan is asked for straight away. */
function useClearErrorsPlan(
  { busId, slave, reading, unit, isClear }: Target,
  setPlan: Dispatch<SetStateAction<WritePlanView | null>>,
  setError: Dispatch<SetStateAction<unknown>>,
): void {
  const api = useApi();
  useEffect(() => {
    if (!isClear) {
      return;
    }
    let isCurrent = true;
    api
      .call('rs485.planWrite', { busId, slave, type: reading.type, action: 'clearErrors', ...(unit ? { unit } : {}) })
      .then(
        (next) => isCurrent && setPlan(next),
        (caught: unknown) => isCurrent && setError(caught),
      );
    return () => {
      isCurrent = false;
    };
  }, [api, busId, slave, reading.type, unit, isClear, setPlan, setError]);
}
