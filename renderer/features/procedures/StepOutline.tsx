import type { Procedure } from '../../../shared/domain/procedure';
import { useI18n } from '../../i18n/I18nProvider';
import { commandText } from './commandText';
import { localized } from '../../i18n/localized';

type Step = Procedure['steps'][number];

/** Every step of a procedure, before it runs: its kind, what it will run and the gates that guard it. */
export function StepOutline({ procedure }: { procedure: Procedure }) {
  const { t, language } = useI18n();
  return (
    <ol className="panel procedure__outline" data-testid="procedure-steps">
      {procedure.steps.map((step) => (
        <li key={step.id} className="procedure__step" data-testid={`outline-${step.id}`}>
          <span className={`step-kind step-kind--${step.kind}`}>{t(`step.kind.${step.kind}`)}</span>{' '}
          <strong>{localized(step.title, language)}</strong>
          {step.detail ? <p className="muted">{localized(step.detail, language)}</p> : null}
          <StepWhat step={step} />
        </li>
      ))}
    </ol>
  );
}

function StepWhat({ step }: { step: Step }) {
  const { t } = useI18n();
  if (step.kind === 'check') {
    return 'checkId' in step ? (
      <p className="mono">{t('step.checkId', { check: step.checkId, expect: step.expect })}</p>
    ) : (
      <pre className="evidence">{commandText(step.command)}</pre>
    );
  }
  if (step.kind === 'action') {
    return (
      <>
        {'command' in step ? <pre className="evidence">{commandText(step.command)}</pre> : null}
        {'operation' in step ? <p className="mono">{step.operation}</p> : null}
        {step.gates.length > 0 ? (
          <p className="procedure__gates">
            {t('step.gates')}:{' '}
            {step.gates.map((gate) => (
              <span key={gate.gate} className="gate-name mono">
                {gate.gate}
                {gate.overridable ? ` (${t('step.overridable')})` : ''}
              </span>
            ))}
          </p>
        ) : null}
        {step.destructive ? <p className="notice notice--attention">{t('step.destructive')}</p> : null}
      </>
    );
  }
  return null;
}
