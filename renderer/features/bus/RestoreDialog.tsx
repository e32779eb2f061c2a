import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { Dialog } from './Dialog';
import { outcomeKey } from './moduleText';
import { RestorePlanView } from './RestorePlanView';
import type { BackupSummary } from './useBackups';
import { useRestorePlan } from './useRestorePlan';

type Props = { busId: string; unit: string | undefined; backup: BackupSummary; onClose: () => void };

/** The planned restore (differences first, refusals named), then an explicit confirmation, then each write's result. */
export function RestoreDialog({ busId, unit, backup, onClose }: Props) {
  const { t, time } = useI18n();
  const state = useRestorePlan(busId, unit, backup.id);
  const { plan, results, error, isBusy } = state;

  return (
    <Dialog
      title={t('bus.restore.title', { time: time(backup.takenAt) })}
      testId="restore-dialog"
      onClose={onClose}
      isDanger={plan?.needsConfirmation ?? false}
    >
      {isBusy && plan === null ? <p className="muted">{t('bus.restore.planning')}</p> : null}
      {error ? <ErrorNotice error={error} testId="restore-error" /> : null}
      {plan && results === null ? <RestorePlanView state={state} onClose={onClose} /> : null}
      {results ? (
        <div data-testid="restore-results">
          <ul className="bus-restore__diffs">
            {results.map((r) => (
              <li key={`${r.type}-${r.name}`} data-outcome={r.outcome}>
                <span className={r.outcome === 'ok' ? 'tag tag--ok' : 'tag tag--danger'}>
                  {t(outcomeKey(r.outcome))}
                </span>{' '}
                {r.name}: {r.message}
              </li>
            ))}
          </ul>
          <div className="toolbar bus-dialog__actions">
            <button type="button" className="button button--primary" onClick={onClose}>
              {t('bus.close')}
            </button>
          </div>
        </div>
      ) : null}
      {plan === null && !isBusy ? (
        <div className="toolbar bus-dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('bus.close')}
          </button>
        </div>
      ) : null}
    </Dialog>
  );
}
