import type { GateEvaluation, GateId } from '../../../shared/ipc/contracts/procedureRuns';
import { useI18n } from '../../i18n/I18nProvider';
import { GateReading } from './OutcomeText';

/** The step's live preconditions: green or red as last read on the unit, or not read yet. */
export function GateList({ gates, evaluations }: { gates: readonly GateId[]; evaluations: readonly GateEvaluation[] }) {
  const { t, time } = useI18n();
  return (
    <ul className="gates" data-testid="step-gates">
      {gates.map((gate) => {
        const read = evaluations.filter((each) => each.gate === gate);
        if (read.length === 0) {
          return (
            <li key={gate} className="gate gate--unread" data-testid={`gate-${gate}`} data-status="unread">
              <span className="gate__light" aria-hidden="true" />
              <span className="mono">{gate}</span> <span className="muted">{t('gate.unread')}</span>
            </li>
          );
        }
        return read.map((evaluation) => (
          <li
            key={`${gate}-${evaluation.unit}`}
            className={`gate gate--${evaluation.status}`}
            data-testid={`gate-${gate}`}
            data-status={evaluation.status}
          >
            <span className="gate__light" aria-hidden="true" />
            <span className="mono">{gate}</span> {t(`gate.${evaluation.status}`)} · {evaluation.unit}:{' '}
            <GateReading gate={evaluation} /> <span className="muted">({time(evaluation.at)})</span>
          </li>
        ));
      })}
    </ul>
  );
}
