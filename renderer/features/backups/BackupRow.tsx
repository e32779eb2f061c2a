import type { BackupSummaryView } from '../../../shared/domain/backup';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { LOCALES } from '../../i18n/languages';
import { routeHref } from '../../platform/routes';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { formatAge } from './backupFormat';
import { PartialTag } from './PartialTag';
import { UnitRunStatus } from './UnitRunStatus';
import { VerifyStatus } from './VerifyStatus';

type Props = {
  name: string;
  backup: BackupSummaryView | undefined;
  isListLoading: boolean;
  isSelected: boolean;
  onToggle: () => void;
  now: number;
};

/** One unit in the fleet's backup table: its latest backup, verification, progress and a way to restore it. */
export function BackupRow({ name, backup, isListLoading, isSelected, onToggle, now }: Props) {
  const { t } = useI18n();
  return (
    <tr className="fleet__row" data-testid={`backup-row-${name}`}>
      <td className="backups__check">
        <input
          type="checkbox"
          aria-label={t('backup.select', { unit: name })}
          checked={isSelected}
          data-testid={`backup-select-${name}`}
          onChange={onToggle}
        />
      </td>
      <td>
        <a
          className="fleet__name"
          href={routeHref({ page: 'unitBackups', name })}
          data-testid={`backup-unit-link-${name}`}
        >
          {name}
        </a>
      </td>
      {backup ? (
        <LatestCells name={name} backup={backup} now={now} />
      ) : (
        <td colSpan={5} className="muted" data-testid={`backup-latest-${name}`}>
          {isListLoading ? t('backup.loading') : t('backup.never')}
        </td>
      )}
      <td className="backups__progress-col">
        <UnitRunStatus unit={name} expectedBytes={backup?.bytes ?? null} />
      </td>
      <td className="fleet__actions">
        {backup ? (
          <a
            className="button button--small"
            href={routeHref({ page: 'restore', name, backupId: backup.id })}
            data-testid={`backup-restore-${name}`}
          >
            {t('backup.restore')}
          </a>
        ) : null}
      </td>
    </tr>
  );
}

/** The five cells that describe a unit's latest backup. */
function LatestCells({ name, backup, now }: { name: string; backup: BackupSummaryView; now: number }) {
  const { t, language } = useI18n();
  const verify = useBackups((state) => state.actions.verify);
  return (
    <>
      <td data-testid={`backup-latest-${name}`} data-backup-id={backup.id}>
        <Time iso={backup.completedAt} />
        <span className="muted backups__age"> · {formatAge(backup.completedAt, now, language)}</span>
        <PartialTag backup={backup} />
      </td>
      <td>{backup.files.toLocaleString(LOCALES[language])}</td>
      <td>{formatBytes(backup.bytes, language)}</td>
      <td>{formatBytes(backup.newBytes, language)}</td>
      <td>
        <span className="backups__verify">
          <VerifyStatus backupId={backup.id} testId={`backup-verify-status-${name}`} />
          <button
            type="button"
            className="button button--small button--quiet"
            data-testid={`backup-verify-${name}`}
            onClick={() => void verify(backup.id)}
          >
            {t('backup.verify')}
          </button>
        </span>
      </td>
    </>
  );
}
