import { useState } from 'react';

import type { CurrentStep, GateEvaluation } from '../../../shared/ipc/contracts/procedureRuns';
import { useI18n } from '../../i18n/I18nProvider';
import { ActionConfirm } from './ActionConfirm';
import type { OverrideDrafts } from './GateOverrideFields';
import { useRun } from './runContext';

type Props = { current: CurrentStep; gates: readonly GateEvaluation[] };

/** A step that acts on the vehicle: read its gates, then confirm; a step that only reads runs as a check does. */
export function ActionAnswer({ current, gates }: Props) {
  const { t } = useI18n();
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  const [isConfirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [overrides, setOverrides] = useState<OverrideDrafts>({});
  const isAvailable = current.plans.every((each) => each.plan.available);
  const [isReadingGates, setReadingGates] = useState(false);
  // A step that changes nothing on any unit (no gates, every plan read-only) is not confirmed as a change.
  const isReadOnly = current.gates.length === 0 && current.plans.every((each) => !each.plan.mutating);

  const readGates = async (): Promise<void> => {
    setReadingGates(true);
    try {
      await act(current.stepId, { kind: 'gates' });
    } finally {
      setReadingGates(false);
    }
  };

  if (isReadOnly) {
    // Reads only: nothing to confirm, it runs as a check does.
    return (
      <div className="toolbar">
        <button
          type="button"
          className="button button--primary"
          data-testid="step-do"
          disabled={isBusy || !isAvailable}
          onClick={() => void act(current.stepId, { kind: 'confirm', overrides: [] })}
        >
          {isBusy ? t('run.working') : t('run.readOnly')}
        </button>
      </div>
    );
  }

  return (
    <>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          data-testid="step-check-gates"
          disabled={isBusy || current.gates.length === 0}
          aria-busy={isReadingGates}
          onClick={() => void readGates()}
        >
          {isReadingGates ? t('run.readingGates') : t('run.checkGates')}
        </button>
        <button
          type="button"
          className="button button--primary"
          data-testid="step-do"
          disabled={isBusy || !isAvailable}
          onClick={() => setConfirming(true)}
        >
          {t('run.doAction')}
        </button>
      </div>
      {isReadingGates ? (
        <p className="notice" role="status" data-testid="gates-reading">
          {t('run.readingGates')}
        </p>
      ) : null}
      {isConfirming ? (
        <ActionConfirm
          current={current}
          gates={gates}
          drafts={{ typed, setTyped, overrides, setOverrides }}
          onClose={() => setConfirming(false)}
        />
      ) : null}
    </>
  );
}
