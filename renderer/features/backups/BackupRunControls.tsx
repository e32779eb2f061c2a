import { useState } from 'react';

import type { DatabaseCopyMode } from '../../../shared/domain/backup';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { failedUnits } from '../../platform/stores/backupsStore';
import { BackupOptions } from './BackupOptions';

/** How and which units to back up, the buttons that start it, and how the last run ended. */
export function BackupRunControls({ names, chosen }: { names: readonly string[]; chosen: readonly string[] }) {
  const { t } = useI18n();
  const run = useBackups((state) => state.run);
  const { run: startRun, retryFailed } = useBackups((state) => state.actions);
  const [database, setDatabase] = useState<DatabaseCopyMode>('online');
  const [confirmServiceStop, setConfirmServiceStop] = useState(false);
  const [isFull, setFull] = useState(false);
  const isRunning = run?.isRunning === true;
  const failed = failedUnits(run);
  const okCount = (run?.results ?? []).filter((result) => result.status !== 'failed').length;
  const isStopBlocked = database === 'service-stopped' && !confirmServiceStop;
  const canStart = !isRunning && !isStopBlocked;

  const backUp = (which: readonly string[]): void =>
    void startRun(which, { database, confirmServiceStop, full: isFull });

  return (
    <>
      <div className="panel backups__controls">
        <BackupOptions
          database={database}
          onDatabase={setDatabase}
          isFull={isFull}
          onFull={setFull}
          confirmServiceStop={confirmServiceStop}
          onConfirmServiceStop={setConfirmServiceStop}
        />
        <div className="toolbar">
          <button
            type="button"
            className="button button--primary"
            data-testid="backup-selected"
            disabled={!canStart || chosen.length === 0}
            onClick={() => backUp(chosen)}
          >
            {t('backup.runSelected', { count: chosen.length })}
          </button>
          <button
            type="button"
            className="button"
            data-testid="backup-all"
            disabled={!canStart || names.length === 0}
            onClick={() => backUp(names)}
          >
            {t('backup.runAll')}
          </button>
          {failed.length > 0 && !isRunning ? (
            <button
              type="button"
              className="button"
              data-testid="backup-retry-failed"
              onClick={() => void retryFailed()}
            >
              {t('backup.retryFailed', { count: failed.length })}
            </button>
          ) : null}
        </div>
      </div>

      {run && !isRunning && run.results ? (
        <p
          className={`notice ${failed.length > 0 ? 'notice--attention' : 'notice--ok'}`}
          role="status"
          data-testid="backup-run-summary"
        >
          {t('backup.runSummary', { ok: okCount, failed: failed.length })}
        </p>
      ) : null}
      {run?.error ? <ErrorNotice error={run.error} testId="backup-run-error" /> : null}
    </>
  );
}
