import { useId, useState } from 'react';

import type { GateEvaluation, StepAttempt } from '../../../shared/ipc/contracts/procedureRuns';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import { AnswerForms } from './AnswerForms';
import { DecisionEvidence } from './DecisionEvidence';
import { GateList } from './GateList';
import { localized } from '../../i18n/localized';
import { OutcomeText } from './OutcomeText';
import { useRun } from './runContext';

/** The step the run waits on: what it is, exactly what it will run, its gates, and how to answer it. */
export function CurrentStepPanel() {
  const { t, language } = useI18n();
  const current = useRun((state) => state.run?.current ?? null);
  const run = useRun((state) => state.run);
  const attempts = run?.attempts ?? [];
  const isBusy = useRun((state) => state.isBusy);
  const { answer } = useRun((state) => state.actions);
  const [skipReason, setSkipReason] = useState('');
  const titleId = useId();
  if (!current) {
    return null;
  }
  const last = lastAttemptOf(attempts, current.stepId);
  // The conditions as last read: by "Check the conditions now" (the preview) or by the last attempt, the later one.
  const gates = latestGates(current.gatePreview, last?.outcome.gates ?? []);

  return (
    <section
      className="panel run__current"
      data-testid="current-step"
      data-step-id={current.stepId}
      data-kind={current.kind}
      aria-labelledby={titleId}
      aria-busy={isBusy}
    >
      <header className="panel__head">
        <span className={`step-kind step-kind--${current.kind}`}>{t(`step.kind.${current.kind}`)}</span>
        <h2 className="section-title" id={titleId}>
          {localized(current.title, language)}
        </h2>
      </header>
      {localized(current.body, language) ? <p className="run__body">{localized(current.body, language)}</p> : null}
      {current.interrupted ? (
        <p className="notice notice--attention" data-testid="step-interrupted">
          {t('run.interrupted')}
        </p>
      ) : null}
      {current.blocked ? (
        <p className="notice notice--error" role="alert" data-testid="step-blocked">
          {t('run.blocked')}
        </p>
      ) : null}

      {current.plans.map(({ unit, plan }) => (
        <div key={unit} className="run__plan" data-testid={`plan-${unit}`}>
          <p>
            <strong>{unit}</strong>:{' '}
            {plan.summarySay ? <SaidText said={plan.summarySay} fallback={plan.summary} /> : plan.summary}
          </p>
          {plan.commands.length > 0 ? (
            <pre className="evidence" data-testid="plan-commands">
              {plan.commands.map((command) => `${command.sudo ? '# ' : '$ '}${command.line}`).join('\n')}
            </pre>
          ) : null}
          {!plan.available ? (
            <p className="notice notice--error" data-testid="plan-unavailable">
              {t('run.unavailable', { reason: plan.unavailableReason ?? '' })}
            </p>
          ) : null}
        </div>
      ))}

      {current.kind === 'decision' && run ? <DecisionEvidence run={run} /> : null}
      {current.gates.length > 0 ? <GateList gates={current.gates} evaluations={gates} /> : null}
      {last && last.stepId === current.stepId && last.outcome.output ? (
        <pre className="evidence" data-testid="step-output">
          {last.outcome.output}
        </pre>
      ) : null}
      {last && last.outcome.message ? (
        <p className={last.outcome.passed === false ? 'notice notice--error' : 'muted'} data-testid="step-message">
          <OutcomeText said={last.outcome} />
        </p>
      ) : null}

      <AnswerForms current={current} gates={gates} />

      {current.kind !== 'escalate' ? (
        <details className="run__skip">
          <summary>{t('run.skip')}</summary>
          <div className="field">
            <label htmlFor={`${titleId}-skip`}>{t('run.skipReason')}</label>
            <input id={`${titleId}-skip`} value={skipReason} onChange={(event) => setSkipReason(event.target.value)} />
          </div>
          <button
            type="button"
            className="button"
            data-testid="step-skip"
            disabled={isBusy || skipReason.trim().length < 3}
            onClick={() => void answer(current.stepId, { kind: 'skip', reason: skipReason.trim() })}
          >
            {t('run.skipConfirm')}
          </button>
        </details>
      ) : null}
    </section>
  );
}

function lastAttemptOf(attempts: readonly StepAttempt[], stepId: string): StepAttempt | null {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const attempt = attempts[i];
    if (attempt && attempt.stepId === stepId) {
      return attempt;
    }
  }
  return null;
}

function latestGates(preview: readonly GateEvaluation[], attempted: readonly GateEvaluation[]): GateEvaluation[] {
  const newest = (list: readonly GateEvaluation[]) => list.reduce((at, each) => (each.at > at ? each.at : at), '');
  return [...(preview.length > 0 && newest(preview) >= newest(attempted) ? preview : attempted)];
}
