import { ConfirmChecks } from './ConfirmChecks';
import { useI18n } from '../../i18n/I18nProvider';
import { moduleTypeKey } from './moduleText';
import type { RestorePlan, RestoreState } from './useRestorePlan';

type PlannedModule = RestorePlan['modules'][number];

/** The planned restore: each module's differences first, refusals named, then the confirmations and the actions. */
export function RestorePlanView({ state, onClose }: { state: RestoreState; onClose: () => void }) {
  const { t } = useI18n();
  const { plan, writableCount } = state;
  if (plan === null) {
    return null;
  }
  return (
    <div data-testid="restore-plan" data-differences={writableCount}>
      {plan.modules.map((module) => (
        <RestoreModule key={`${module.type}-${module.address}`} module={module} />
      ))}
      {writableCount === 0 ? (
        <p className="notice notice--ok" data-testid="restore-nothing">
          {t('bus.restore.nothing')}
        </p>
      ) : (
        <ConfirmChecks
          testStem="restore"
          label={t('bus.restore.confirm', { count: writableCount })}
          isChecked={state.isChecked}
          onChecked={state.setChecked}
          needsSafety={plan.needsConfirmation}
          isSafetyChecked={state.isSafetyChecked}
          onSafetyChecked={state.setSafetyChecked}
        />
      )}
      <div className="toolbar bus-dialog__actions">
        {writableCount > 0 ? (
          <button
            type="button"
            className={`button ${plan.needsConfirmation ? 'button--danger' : 'button--primary'}`}
            disabled={!state.mayRestore || state.isBusy}
            onClick={() => void state.restore()}
            data-testid="restore-apply"
          >
            {t('bus.restore.apply')}
          </button>
        ) : null}
        <button type="button" className="button" onClick={onClose} data-testid="restore-cancel">
          {t('bus.cancel')}
        </button>
      </div>
    </div>
  );
}

/** One module's differences between the backup and the bus, or why it is not restored. */
function RestoreModule({ module }: { module: PlannedModule }) {
  const { t } = useI18n();
  return (
    <div className="bus-restore__module">
      <h3 className="bus__subtitle">
        {t('bus.module.title', { module: t(moduleTypeKey(module.type)), address: module.address })}
      </h3>
      {module.refused !== undefined ? <p className="notice notice--error">{module.refused}</p> : null}
      {module.differences.length > 0 ? (
        <ul className="bus-restore__diffs">
          {module.differences.map((d) => (
            <li key={d.name} data-testid="restore-diff" data-refused={d.refused !== undefined}>
              <span>{d.label}</span> <span className="mono muted">({d.name})</span>: <strong>{d.change}</strong>
              {d.safetyCritical ? <span className="tag tag--danger">{t('bus.reg.safetyCritical')}</span> : null}
              {d.refused !== undefined ? (
                <span className="bus__bad">
                  {' '}
                  {t('bus.restore.notWritten')}: {d.refused}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : module.refused === undefined ? (
        <p className="muted">{t('bus.restore.same', { count: module.same.length })}</p>
      ) : null}
      {module.skipped.map((s) => (
        <p key={s.name} className="muted">
          {s.name}: {s.reason}
        </p>
      ))}
    </div>
  );
}
