import { routeHref } from '../../platform/routes';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { UnitRunStatus } from './UnitRunStatus';
import { useBackupList } from './useBackupList';
import { VerifyStatus } from './VerifyStatus';
import './backups.css';

/** On the unit page: the unit's latest backup in one line, with the way to all of them and to the restore wizard. */
export function UnitBackupsSummary({ name }: { name: string }) {
  const { t, language } = useI18n();
  const { backups, error } = useBackupList(name, 'backup');
  const latest = backups?.[0];
  return (
    <section className="panel unit-backups" data-testid="unit-backups-summary">
      <div className="unit-backups__line">
        <h2 className="section-title">{t('backup.title')}</h2>
        {latest ? (
          <span data-testid="unit-backups-latest">
            {t('backup.latest')} <Time iso={latest.completedAt} /> ·{' '}
            {t('restore.optionFacts', { files: latest.files, bytes: formatBytes(latest.bytes, language) })}{' '}
            <VerifyStatus backupId={latest.id} />
          </span>
        ) : (
          <span className="muted">{backups === null && !error ? t('backup.loading') : t('backup.never')}</span>
        )}
        <span className="unit-backups__actions">
          <a
            className="button button--small"
            href={routeHref({ page: 'unitBackups', name })}
            data-testid="unit-backups-link"
          >
            {t('backup.open')}
          </a>
          <a
            className="button button--small"
            href={routeHref({ page: 'restore', name, backupId: null })}
            data-testid="unit-restore-link"
          >
            {t('backup.restoreWizard')}
          </a>
        </span>
      </div>
      <UnitRunStatus unit={name} expectedBytes={latest?.bytes ?? null} />
    </section>
  );
}
