import { useI18n } from '../../i18n/I18nProvider';
import { GateReading, OutcomeText } from './OutcomeText';
import { actorText } from '../../i18n/actor';
import { useRun } from './runContext';

/** Everything done so far, in order: each attempt's result, output, gates, evidence, who and when. */
export function AttemptList() {
  const { t, time } = useI18n();
  const attempts = useRun((state) => state.run?.attempts ?? []);
  if (attempts.length === 0) {
    return null;
  }
  return (
    <section className="panel run__log" data-testid="run-log">
      <h2 className="section-title">{t('run.log')}</h2>
      <ol className="run__attempts">
        {attempts.map((attempt) => (
          <li
            key={attempt.seq}
            className={`attempt attempt--${attempt.status}`}
            data-testid={`attempt-${attempt.seq}`}
            data-step-id={attempt.stepId}
            data-status={attempt.status}
          >
            <p>
              <span className="mono">{attempt.stepId}</span> · {t(`attempt.${attempt.status}`)}
              {attempt.unit ? ` · ${attempt.unit}` : ''} · {actorText(attempt.actor, t)} · {time(attempt.startedAt)}
            </p>
            {attempt.outcome.message ? (
              <p>
                <OutcomeText said={attempt.outcome} />
              </p>
            ) : null}
            {attempt.outcome.gates.map((gate) => (
              <p key={`${gate.gate}-${gate.unit}`} className={`gate gate--${gate.status}`}>
                <span className="gate__light" aria-hidden="true" />
                <span className="mono">{gate.gate}</span> {t(`gate.${gate.status}`)}: <GateReading gate={gate} />
              </p>
            ))}
            {attempt.outcome.overrides.map((override) => (
              <p key={override.gate} className="notice notice--attention">
                {t('run.overridden', { gate: override.gate, by: override.by, reason: override.reason })}
              </p>
            ))}
            {attempt.outcome.output ? (
              <details>
                <summary>{t('run.output')}</summary>
                <pre className="evidence">{attempt.outcome.output}</pre>
              </details>
            ) : null}
            {attempt.evidence.map((evidence) => (
              <p key={evidence.sha256 + evidence.name} className="muted">
                {evidence.kind === 'note' ? `“${evidence.text ?? ''}”` : evidence.name}{' '}
                <span className="mono">sha256:{evidence.sha256.slice(0, 12)}…</span>
              </p>
            ))}
          </li>
        ))}
      </ol>
    </section>
  );
}
