import { useId, useState } from 'react';

import type { BackupSummaryView } from '../../../shared/domain/backup';
import { ErrorNotice } from '../../components/ErrorNotice';
import { TextField } from '../../components/TextField';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { PrunePreview } from './PrunePreview';
import { useBackupList } from './useBackupList';
import { usePrune } from './usePrune';

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
  const { backups } = useBackupList(undefined, 'all');
  const [daily, setDaily] = useState('7');
  const [monthly, setMonthly] = useState('12');
  const titleId = useId();

  const keepDaily = parseKeep(daily, 3650);
  const keepMonthly = parseKeep(monthly, 1200);
  const settings = keepDaily !== null && keepMonthly !== null ? { keepDaily, keepMonthly } : null;
  const byId = new Map<string, BackupSummaryView>((backups ?? []).map((backup) => [backup.id, backup]));

  const { preview, done, status, error, ask } = usePrune(settings);

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
      {preview ? (
        <PrunePreview preview={preview} byId={byId} status={status} onConfirm={() => void ask(false)} />
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
