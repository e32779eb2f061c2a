import type { RunView } from '../../../shared/ipc/contracts/procedureRuns';
import { useI18n } from '../../i18n/I18nProvider';
import { localized } from '../../i18n/localized';

/**
 * What a decision is taken on: the output of each step read since the run's previous decision (the status, the
 * journal), on screen at the question rather than folded away in the history below.
 */
export function DecisionEvidence({ run }: { run: RunView }) {
  const { t, language } = useI18n();
  const titles = new Map(run.steps.map((step) => [step.stepId, step.title]));
  const kinds = new Map(run.steps.map((step) => [step.stepId, step.kind]));
  const since = run.attempts.findLastIndex((attempt) => kinds.get(attempt.stepId) === 'decision');
  const latest = new Map<string, (typeof run.attempts)[number]>();
  for (const attempt of run.attempts.slice(since + 1)) {
    if (attempt.outcome.output.trim() !== '') {
      latest.set(`${attempt.stepId}/${attempt.unit ?? ''}`, attempt);
    }
  }
  if (latest.size === 0) {
    return null;
  }
  return (
    <section className="run__evidence" data-testid="decision-evidence" aria-label={t('run.evidenceTitle')}>
      <h3 className="section-title">{t('run.evidenceTitle')}</h3>
      {[...latest.values()].map((attempt) => {
        const title = titles.get(attempt.stepId);
        return (
          <div key={`${attempt.stepId}/${attempt.unit ?? ''}`} data-testid={`decision-evidence-${attempt.stepId}`}>
            <p>
              <strong>{title ? localized(title, language) : attempt.stepId}</strong>
              {run.units.length > 1 && attempt.unit ? <span translate="no"> · {attempt.unit}</span> : null}
            </p>
            <pre className="evidence" translate="no">
              {attempt.outcome.output}
            </pre>
          </div>
        );
      })}
    </section>
  );
}
