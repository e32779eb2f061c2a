import { useI18n } from '../../i18n/I18nProvider';
import { moduleTypeKey } from './moduleText';
import type { BackupSummary } from './useBackups';

type Props = { backups: readonly BackupSummary[]; onRestore: (backup: BackupSummary) => void };

/** The backups kept: when, by whom, which modules, the note; each may be restored. */
export function BackupsTable({ backups, onRestore }: Props) {
  const { t, time } = useI18n();
  return (
    <table className="bus-table" data-testid="backups-table">
      <thead>
        <tr>
          <th scope="col">{t('bus.backup.col.taken')}</th>
          <th scope="col">{t('bus.backup.col.by')}</th>
          <th scope="col">{t('bus.backup.col.modules')}</th>
          <th scope="col">{t('bus.backup.col.note')}</th>
          <th scope="col">
            <span className="visually-hidden">{t('bus.reg.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {backups.map((backup) => (
          <tr key={backup.id} data-testid="backup-row" data-backup-id={backup.id}>
            <td>{time(backup.takenAt)}</td>
            <td>{backup.takenBy}</td>
            <td>
              {backup.modules
                .map((m) =>
                  t('bus.backup.moduleCount', {
                    module: t(moduleTypeKey(m.type)),
                    registers: m.registers,
                    unread: m.unread,
                  }),
                )
                .join(' · ')}
            </td>
            <td>{backup.note ?? '—'}</td>
            <td>
              <button
                type="button"
                className="button button--small"
                onClick={() => onRestore(backup)}
                data-testid="backup-restore"
              >
                {t('bus.backup.restore')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
