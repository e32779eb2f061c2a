import { useId } from 'react';

import type { DatabaseCopyMode } from '../../../shared/domain/backup';
import { useI18n } from '../../i18n/I18nProvider';

type Props = {
  database: DatabaseCopyMode;
  onDatabase: (mode: DatabaseCopyMode) => void;
  isFull: boolean;
  onFull: (isFull: boolean) => void;
  confirmServiceStop: boolean;
  onConfirmServiceStop: (isConfirmed: boolean) => void;
};

/** How the next backup runs: the database copy mode, full or incremental, and the service-stop confirmation. */
export function BackupOptions({
  database,
  onDatabase,
  isFull,
  onFull,
  confirmServiceStop,
  onConfirmServiceStop,
}: Props) {
  const { t } = useI18n();
  const databaseId = useId();
  return (
    <div className="backups__options">
      <div className="field backups__database">
        <label htmlFor={databaseId}>{t('backup.database')}</label>
        <select
          id={databaseId}
          value={database}
          data-testid="backup-database-mode"
          onChange={(event) => onDatabase(event.target.value === 'service-stopped' ? 'service-stopped' : 'online')}
        >
          <option value="online">{t('backup.database.online')}</option>
          <option value="service-stopped">{t('backup.database.stopped')}</option>
        </select>
      </div>
      <label className="checkbox backups__full" title={t('backup.fullHint')}>
        <input
          type="checkbox"
          checked={isFull}
          data-testid="backup-full"
          onChange={(event) => onFull(event.target.checked)}
        />
        {t('backup.full')}
      </label>
      {database === 'service-stopped' ? (
        <label className="checkbox notice notice--attention backups__stop">
          <input
            type="checkbox"
            checked={confirmServiceStop}
            data-testid="backup-confirm-stop"
            onChange={(event) => onConfirmServiceStop(event.target.checked)}
          />
          {t('backup.database.confirmStop')}
        </label>
      ) : null}
    </div>
  );
}
