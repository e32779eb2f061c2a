import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { verifyVerdict } from './verifyVerdict';

/** A verify that found damage, file by file, or a verify that could not run; nothing otherwise. */
export function VerifyProblems({ backupId, testId }: { backupId: string; testId: string }) {
  const { t } = useI18n();
  const entry = useBackups((state) => state.verifies[backupId]);
  if (entry?.status === 'failed') {
    return <ErrorNotice error={entry.error} testId={testId} />;
  }
  if (entry?.status !== 'done' || entry.result.ok) {
    return null;
  }
  const { problems, checkedFiles } = entry.result;
  const isLocked = verifyVerdict(entry.result) === 'locked';
  return (
    <div className={`notice ${isLocked ? 'notice--attention' : 'notice--error'}`} role="alert" data-testid={testId}>
      <p className="notice__title">
        {isLocked
          ? t('backup.verify.lockedTitle', { count: problems.length, checked: checkedFiles })
          : t('backup.verify.problemsTitle', { count: problems.length, checked: checkedFiles })}
      </p>
      <table className="problems">
        <thead>
          <tr>
            <th scope="col">{t('backup.verify.col.path')}</th>
            <th scope="col">{t('backup.verify.col.problem')}</th>
            <th scope="col">{t('backup.verify.col.detail')}</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((problem) => (
            <tr key={`${problem.path}:${problem.problem}`} data-testid="verify-problem" data-problem={problem.problem}>
              <td className="mono">{problem.path}</td>
              <td>{t(`backup.problem.${problem.problem}`)}</td>
              <td className="mono">{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
