import { ConfirmChecks } from './ConfirmChecks';
import { useI18n } from '../../i18n/I18nProvider';
import { hexWord } from './moduleText';
import type { WritePlanState } from './useWritePlan';

type Props = { state: WritePlanState; onClose: () => void };

/** The core's plan (old → new, or why not) and the confirmations it needs before it may be applied. */
export function WritePlanPanel({ state, onClose }: Props) {
  const { t } = useI18n();
  const { plan, needsSafety, mayApply, isBusy } = state;
  if (plan === null) {
    return null;
  }
  const isApplicable = plan.refused === undefined && !plan.unchanged;
  return (
    <div className="bus-plan" data-testid="write-plan-view" data-refused={plan.refused !== undefined}>
      <h3 className="bus__subtitle">{t('bus.write.planTitle')}</h3>
      <p className="mono bus-plan__summary">{plan.summary}</p>
      {plan.register ? (
        <p>
          {plan.register.label}{' '}
          <span className="mono muted">
            ({plan.register.name}, {plan.register.addressHex})
          </span>{' '}
          {plan.register.safetyCritical ? <span className="tag tag--danger">{t('bus.reg.safetyCritical')}</span> : null}
        </p>
      ) : null}
      {plan.refused !== undefined ? (
        <p className="notice notice--error bus-plan__refused" role="alert" data-testid="write-refused">
          <strong>{t('bus.write.refused')}</strong> {plan.refused}
        </p>
      ) : (
        <p className="bus-plan__change" data-testid="write-change">
          <span className="bus-plan__old">
            {plan.old ? `${plan.old.text} (${plan.old.rawHex})` : t('bus.write.noOld')}
          </span>
          <span> → </span>
          <span className="bus-plan__new">{plan.new ? `${plan.new.text} (${hexWord(plan.new.raw)})` : '—'}</span>
        </p>
      )}
      {plan.unchanged ? (
        <p className="notice" data-testid="write-unchanged">
          {t('bus.write.unchanged')}
        </p>
      ) : null}
      {isApplicable ? (
        <ConfirmChecks
          testStem="write"
          label={t('bus.write.confirm')}
          isChecked={state.isChecked}
          onChecked={state.setChecked}
          needsSafety={needsSafety}
          isSafetyChecked={state.isSafetyChecked}
          onSafetyChecked={state.setSafetyChecked}
        />
      ) : null}
      <div className="toolbar bus-dialog__actions">
        {isApplicable ? (
          <button
            type="button"
            className={`button ${needsSafety ? 'button--danger' : 'button--primary'}`}
            disabled={!mayApply || isBusy}
            onClick={() => void state.apply()}
            data-testid="write-apply"
          >
            {isBusy ? t('bus.write.writing') : t('bus.write.apply')}
          </button>
        ) : null}
        <button type="button" className="button" onClick={onClose} data-testid="write-cancel">
          {t('bus.cancel')}
        </button>
      </div>
    </div>
  );
}
