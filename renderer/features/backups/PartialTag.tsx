import type { BackupSummaryView } from '../../../shared/domain/backup';
import { useI18n } from '../../i18n/I18nProvider';
import './partialAndCopy.css';

/** A backup that left paths out (a restore would refuse them) says so wherever it is listed. */
export function PartialTag({ backup }: { backup: Pick<BackupSummaryView, 'id' | 'skipped'> }) {
  const { t } = useI18n();
  const count = backup.skipped ?? 0;
  if (count === 0) {
    return null;
  }
  return (
    <span
      className="tag tag--partial"
      title={t('backup.partialTitle', { count })}
      data-testid={`backup-partial-${backup.id}`}
    >
      {t('backup.partial', { count })}
    </span>
  );
}
