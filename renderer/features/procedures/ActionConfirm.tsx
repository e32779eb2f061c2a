import { useId, type Dispatch, type SetStateAction } from 'react';

import type { CurrentStep, GateEvaluation, GateOverride } from '../../../shared/ipc/contracts/procedureRuns';
import { useI18n } from '../../i18n/I18nProvider';
import { GateOverrideFields, type OverrideDrafts } from './GateOverrideFields';
import { useRun } from './runContext';

/** What was typed so far; it outlives a cancelled confirmation, as the step's own answer does. */
export type ConfirmDrafts = {
  typed: string;
  setTyped: (typed: string) => void;
  overrides: OverrideDrafts;
  setOverrides: Dispatch<SetStateAction<OverrideDrafts>>;
};

type Props = { current: CurrentStep; gates: readonly GateEvaluation[]; drafts: ConfirmDrafts; onClose: () => void };

/** The explicit confirmation before an action runs: the unit's name typed for a destructive step, overrides for red gates. */
export function ActionConfirm({ current, gates, drafts, onClose }: Props) {
  const { t } = useI18n();
  const units = useRun((state) => state.run?.units ?? []);
  const isBusy = useRun((state) => state.isBusy);
  const act = useRun((state) => state.actions.answer);
  const { typed, setTyped, overrides, setOverrides } = drafts;
  const id = useId();
  const red = [...new Set(gates.filter((gate) => gate.status === 'red').map((gate) => gate.gate))];
  const expectedName = units.join(', ');
  const filledOverrides: GateOverride[] = red
    .map((gate) => ({ gate, by: overrides[gate]?.by.trim() ?? '', reason: overrides[gate]?.reason.trim() ?? '' }))
    .filter((each) => each.by !== '' && each.reason.length >= 3);
  const isTypedOk = !current.destructive || typed.trim() === expectedName;

  return (
    <div className="panel confirm" role="alertdialog" aria-labelledby={`${id}-title`} data-testid="confirm-dialog">
      <h3 id={`${id}-title`}>{t('run.confirmTitle')}</h3>
      <p>{t('run.confirmBody')}</p>
      {current.destructive ? (
        <div className="field">
          <label htmlFor={`${id}-typed`}>{t('run.typeUnit', { name: expectedName })}</label>
          <input
            id={`${id}-typed`}
            value={typed}
            autoComplete="off"
            data-testid="confirm-typed"
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
      ) : null}
      {red.length > 0 && current.overrideAllowed ? (
        <GateOverrideFields gates={red} drafts={overrides} onChange={setOverrides} />
      ) : null}
      {red.length > 0 && !current.overrideAllowed ? <p className="notice notice--error">{t('run.redGates')}</p> : null}
      <div className="toolbar">
        <button
          type="button"
          className="button button--primary"
          data-testid="confirm-run"
          disabled={isBusy || !isTypedOk}
          onClick={() =>
            void act(current.stepId, {
              kind: 'confirm',
              overrides: filledOverrides,
              ...(current.destructive ? { typedConfirmation: typed.trim() } : {}),
            }).then((ok) => ok && onClose())
          }
        >
          {t('run.confirmRun')}
        </button>
        <button type="button" className="button" data-testid="confirm-cancel" onClick={onClose}>
          {t('run.cancel')}
        </button>
      </div>
    </div>
  );
}
