import { useCallback, useState } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { DiffView } from './FileContent';

/** The file now against its version in a backup of the unit (a full backup, or a copy kept before an edit). */
export function FileCompare({ unit, path }: { unit: string; path: string }) {
  const api = useApi();
  const { t, time } = useI18n();
  const loadBackups = useCallback(() => api.call('backup.list', { unit, kind: 'all' }), [api, unit]);
  const backups = useCallResult(loadBackups);
  const [backupId, setBackupId] = useState('');
  const loadDiff = useCallback(
    () => (backupId === '' ? Promise.resolve(null) : api.call('files.compare', { unit, path, backupId })),
    [api, unit, path, backupId],
  );
  const compared = useCallResult(loadDiff);
  return (
    <div className="file-compare" data-testid="file-compare">
      <label className="logs__field">
        {t('files.compare.with')}
        <select
          value={backupId}
          onChange={(event) => setBackupId(event.target.value)}
          data-testid="file-compare-backup"
        >
          <option value="">{t('files.compare.pick')}</option>
          {(backups.value ?? []).map((backup) => (
            <option key={backup.id} value={backup.id}>
              {time(backup.createdAt)} ·{' '}
              {backup.kind === 'snapshot' ? t('files.compare.copy') : t('files.compare.backup')} {backup.id.slice(0, 8)}
            </option>
          ))}
        </select>
      </label>
      {backups.error ? <ErrorNotice error={backups.error} testId="file-compare-backups-error" /> : null}
      {compared.error ? <ErrorNotice error={compared.error} testId="file-compare-error" /> : null}
      {compared.value ? (
        compared.value.backup === null ? (
          <p className="muted" data-testid="file-compare-absent">
            {t('files.compare.absent')}
          </p>
        ) : (
          <DiffView diff={compared.value.diff} testId="file-compare-diff" />
        )
      ) : null}
    </div>
  );
}
