import { useId, useState } from 'react';

import type { BackupSummaryView } from '../../../shared/domain/backup';
import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { TextField } from '../../components/TextField';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { useBackupList } from './useBackupList';

type Prune = CallOutput<'backup.prune'>;
type Settings = { keepDaily: number; keepMonthly: number };

function parseKeep(text: string, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) {
    return null;
  }
  const value = Number(text);
  return value <= max ? value : null;
}

/**
 * Retention for every unit: the settings, then a preview of exactly which backups would go (a dry run), and only then
 * the button that removes them, for the settings that were previewed.
 */
export function PrunePanel() {
  const { t, language } = useI18n();
  const api = useApi();
  const noteChanged = useBackups((state) => state.actions.noteChanged);
  const { backups } = useBackupList(undefined, 'all');
  const [daily, setDaily] = useState('7');
  const [monthly, setMonthly] = useState('12');
  const [preview, setPreview] = useState<{ settings: Settings; result: Prune } | null>(null);
  const [done, setDone] = useState<Prune | null>(null);
  const [status, setStatus] = useState<'idle' | 'previewing' | 'pruning'>('idle');
  const [error, setError] = useState<unknown>(null);
  const titleId = useId();

  const keepDaily = parseKeep(daily, 3650);
  const keepMonthly = parseKeep(monthly, 1200);
  const settings = keepDaily !== null && keepMonthly !== null ? { keepDaily, keepMonthly } : null;
  const isPreviewCurrent =
    preview !== null &&
    settings !== null &&
    preview.settings.keepDaily === settings.keepDaily &&
    preview.settings.keepMonthly === settings.keepMonthly;
  const byId = new Map<string, BackupSummaryView>((backups ?? []).map((backup) => [backup.id, backup]));

  const ask = async (dryRun: boolean): Promise<void> => {
    if (!settings) {
      return;
    }
    setStatus(dryRun ? 'previewing' : 'pruning');
    setError(null);
    try {
      const result = await api.call('backup.prune', { ...settings, dryRun });
      if (dryRun) {
        setPreview({ settings, result });
        setDone(null);
      } else {
        setPreview(null);
        setDone(result);
        noteChanged();
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setStatus('idle');
    }
  };

  return (
    <section className="panel prune" data-testid="prune-panel" aria-labelledby={titleId}>
      <div className="panel__head">
        <h2 className="section-title" id={titleId}>
          {t('backup.prune.title')}
        </h2>
      </div>
      <p className="muted">{t('backup.prune.intro')}</p>
      <div className="prune__fields">
        <TextField
          label={t('backup.prune.keepDaily')}
          value={daily}
          onChange={setDaily}
          type="number"
          min={0}
          max={3650}
          isInvalid={keepDaily === null}
          testId="prune-keep-daily"
        />
        <TextField
          label={t('backup.prune.keepMonthly')}
          value={monthly}
          onChange={setMonthly}
          type="number"
          min={0}
          max={1200}
          isInvalid={keepMonthly === null}
          testId="prune-keep-monthly"
        />
        <button
          type="button"
          className="button"
          data-testid="prune-preview"
          disabled={!settings || status !== 'idle'}
          onClick={() => void ask(true)}
        >
          {status === 'previewing' ? t('backup.prune.previewing') : t('backup.prune.preview')}
        </button>
      </div>
      {error ? <ErrorNotice error={error} testId="prune-error" /> : null}
      {preview && isPreviewCurrent ? (
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
                onClick={() => void ask(false)}
              >
                {status === 'pruning'
                  ? t('backup.prune.pruning')
                  : t('backup.prune.confirm', { count: preview.result.removedBackups.length })}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {done ? (
        <p className="notice notice--ok" role="status" data-testid="prune-done">
          {t('backup.prune.done', {
            count: done.removedBackups.length,
            bytes: formatBytes(done.freedBytes, language),
          })}
        </p>
      ) : null}
    </section>
  );
}
