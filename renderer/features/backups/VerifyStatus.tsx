import { useI18n } from '../../i18n/I18nProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { verifyVerdict } from './verifyVerdict';

/** What this session knows of a backup's soundness: not checked, being checked, sound, or damaged. */
export function VerifyStatus({ backupId, testId }: { backupId: string; testId?: string | undefined }) {
  const { t } = useI18n();
  const entry = useBackups((state) => state.verifies[backupId]);
  if (!entry) {
    return (
      <span className="tag tag--quiet" data-testid={testId} data-verify="none">
        {t('backup.verify.none')}
      </span>
    );
  }
  if (entry.status === 'running') {
    return (
      <span className="phase" role="status" data-testid={testId} data-verify="running">
        <span className="phase__dot" aria-hidden="true" />
        {t('backup.verify.running')}
      </span>
    );
  }
  if (entry.status === 'failed') {
    return (
      <span className="tag tag--attention" data-testid={testId} data-verify="error">
        {t('backup.verify.error')}
      </span>
    );
  }
  const { result, sample } = entry;
  if (result.ok) {
    return (
      <span className="tag tag--ok" data-testid={testId} data-verify="ok" title={entry.at}>
        {sample === undefined
          ? t('backup.verify.ok', { count: result.checkedFiles })
          : t('backup.verify.sampleOk', { count: result.checkedFiles })}
      </span>
    );
  }
  if (verifyVerdict(result) === 'locked') {
    return (
      <span
        className="tag tag--attention"
        data-testid={testId}
        data-verify="locked"
        title={t('backup.verify.lockedHint')}
      >
        {t('backup.verify.locked', { count: result.problems.length })}
      </span>
    );
  }
  return (
    <span className="tag tag--bad" data-testid={testId} data-verify="damaged">
      {t('backup.verify.damaged', { count: result.problems.length })}
    </span>
  );
}
