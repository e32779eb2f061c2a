import type { BackupSummaryView } from '../../../shared/domain/backup';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import type { Prune, PruneSettings, PruneStatus } from './usePrune';

type Props = {
  preview: { settings: PruneSettings; result: Prune };
  /** The backups known so far, to name each one that would go. */
  byId: ReadonlyMap<string, BackupSummaryView>;
  status: PruneStatus;
  onConfirm: () => void;
};

/** Exactly which backups the previewed settings would remove, and the button that removes them. */
export function PrunePreview({ preview, byId, status, onConfirm }: Props) {
  const { t, language } = useI18n();
  return (
    <div className="prune__preview" data-testid="prune-plan">
      <p>
        {t('backup.prune.plan', {
          daily: preview.settings.keepDaily,
          monthly: preview.settings.keepMonthly,
          remove: preview.result.removedBackups.length,
          keep: preview.result.keptBackups,
          bytes: formatBytes(preview.result.freedBytes, language),
        })}
      </p>
      {preview.result.removedBackups.length > 0 ? (
        <>
          <ul className="prune__list">
            {preview.result.removedBackups.map((id) => {
              const backup = byId.get(id);
              return (
                <li key={id} data-testid="prune-item">
                  {backup ? (
                    <>
                      <strong>{backup.unit}</strong> · <Time iso={backup.completedAt} /> ·{' '}
                      {t(`backup.kind.${backup.kind}`)}
                    </>
                  ) : (
                    <span className="mono">{id}</span>
                  )}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            className="button button--danger"
            data-testid="prune-confirm"
            disabled={status !== 'idle'}
            onClick={onConfirm}
          >
            {status === 'pruning'
              ? t('backup.prune.pruning')
              : t('backup.prune.confirm', { count: preview.result.removedBackups.length })}
          </button>
        </>
      ) : null}
    </div>
  );
}
