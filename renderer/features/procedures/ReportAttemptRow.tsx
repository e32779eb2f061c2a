import type { CallOutput } from '../../../shared/ipc/contract';
import { useI18n } from '../../i18n/I18nProvider';
import { actorText } from '../../i18n/actor';
import { localized } from '../../i18n/localized';
import { GateReading, OutcomeText } from './OutcomeText';

type Run = CallOutput<'procedures.run.get'>;
type Props = { attempt: Run['attempts'][number]; step: Run['steps'][number] | undefined };

/** One attempt on the report: the step, who and when, its result and everything it recorded as evidence. */
export function ReportAttemptRow({ attempt, step }: Props) {
  const { t, time, language } = useI18n();
  return (
    <tr data-testid={`report-attempt-${attempt.seq}`}>
      <td>
        {step ? localized(step.title, language) : attempt.stepId}
        <div className="muted">
          {actorText(attempt.actor, t)} · {time(attempt.startedAt)}
          {attempt.unit ? ` · ${attempt.unit}` : ''}
        </div>
      </td>
      <td>{t(`attempt.${attempt.status}`)}</td>
      <td>
        {attempt.outcome.message ? (
          <p>
            <OutcomeText said={attempt.outcome} />
          </p>
        ) : null}
        {attempt.outcome.gates.map((gate) => (
          <p key={`${gate.gate}-${gate.unit}`}>
            {gate.gate}: {t(`gate.${gate.status}`)} (<GateReading gate={gate} />)
          </p>
        ))}
        {attempt.outcome.overrides.map((override) => (
          <p key={override.gate}>
            {t('run.overridden', { gate: override.gate, by: override.by, reason: override.reason })}
          </p>
        ))}
        {attempt.outcome.items.map((item) => (
          <p key={item.id}>
            {item.id}: {t(`checklist.${item.answer}`)}
            {item.note ? ` (${item.note})` : ''}
          </p>
        ))}
        {attempt.evidence.map((evidence) => (
          <p key={evidence.sha256 + evidence.name} className="mono">
            {evidence.kind === 'note' ? `“${evidence.text ?? ''}”` : evidence.name} sha256:{evidence.sha256}
          </p>
        ))}
        {attempt.outcome.output ? <pre className="report-sheet__output">{attempt.outcome.output}</pre> : null}
      </td>
    </tr>
  );
}
