import type { BackupProgress, BackupUnitResult, SkippedPathView } from '../../../shared/domain/backup';
import { terminalField } from '../../../shared/util/terminalText';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { ProgressBar } from './ProgressBar';
import './partialAndCopy.css';

type Props = {
  unit: string;
  /** Bytes of the unit's previous backup: how far the bar has gone while reading (the unit sends no total). */
  expectedBytes: number | null;
};

const RUNNING_PHASES = new Set<BackupProgress['phase']>(['queued', 'connecting', 'reading', 'committing']);

/**
 * One unit's part in a backup run: a progress bar while it runs, then what it ended with (files, bytes, how much was
 * new, or why it failed). Nothing when the unit has not been backed up in this session.
 */
export function UnitRunStatus({ unit, expectedBytes }: Props) {
  const { t, language } = useI18n();
  const progress = useBackups((state) => state.progress[unit]);
  const run = useBackups((state) => state.run);
  const result = run?.results?.find((candidate) => candidate.unit === unit);
  const isAskedFor = run?.isRunning === true && run.active.includes(unit);
  const testId = `backup-status-${unit}`;

  if (progress && RUNNING_PHASES.has(progress.phase)) {
    const fraction =
      progress.phase === 'committing'
        ? 1
        : progress.phase === 'reading' && expectedBytes !== null && expectedBytes > 0
          ? Math.min(0.99, progress.bytes / expectedBytes)
          : progress.phase === 'reading'
            ? null
            : 0;
    return (
      <div className="run-status" data-testid={testId} data-phase={progress.phase}>
        <ProgressBar
          fraction={fraction}
          tone="running"
          label={t('backup.progressLabel', { unit })}
          testId={`backup-bar-${unit}`}
        />
        <span className="run-status__text" role="status">
          {t(`backup.phase.${progress.phase}`)}
          {progress.phase === 'reading' || progress.phase === 'committing'
            ? ` · ${t('backup.soFar', { files: progress.files, bytes: formatBytes(progress.bytes, language) })}`
            : ''}
        </span>
      </div>
    );
  }
  if (isAskedFor && !progress) {
    // Asked for, no word from the core yet: it waits its turn behind the run's concurrency.
    return (
      <div className="run-status" data-testid={testId} data-phase="queued">
        <ProgressBar fraction={0} tone="running" label={t('backup.progressLabel', { unit })} />
        <span className="run-status__text">{t('backup.phase.queued')}</span>
      </div>
    );
  }
  if (result && !(isAskedFor && progress)) {
    return <UnitResult result={result} testId={testId} />;
  }
  if (progress) {
    // Finished before this window's call answered, or in a run another window started.
    return (
      <div className="run-status" data-testid={testId} data-phase={progress.phase}>
        <ProgressBar
          fraction={1}
          tone={progress.phase === 'done' ? 'ok' : 'failed'}
          label={t('backup.progressLabel', { unit })}
        />
        <span className="run-status__text">{progress.message ?? t(`backup.phase.${progress.phase}`)}</span>
      </div>
    );
  }
  return null;
}

function UnitResult({ result, testId }: { result: BackupUnitResult; testId: string }) {
  const { t, language } = useI18n();
  const isOk = result.status !== 'failed';
  return (
    <div className="run-status" data-testid={testId} data-phase={isOk ? 'done' : 'failed'}>
      <ProgressBar
        fraction={1}
        tone={isOk ? 'ok' : 'failed'}
        label={t('backup.progressLabel', { unit: result.unit })}
        testId={`backup-bar-${result.unit}`}
      />
      {isOk ? (
        <span className="run-status__text" data-testid={`backup-result-${result.unit}`}>
          {t('backup.result.ok', {
            files: result.files,
            bytes: formatBytes(result.bytes, language),
            newBytes: formatBytes(result.newBytes, language),
            seconds: formatSeconds(result.durationMs, language),
          })}
        </span>
      ) : (
        <span className="run-status__text run-status__text--failed" data-testid={`backup-result-${result.unit}`}>
          {result.error ? `${t(`error.${result.error.code}`)} ${result.error.message}` : t('backup.phase.failed')}
        </span>
      )}
      {isOk && (result.reusedFiles ?? 0) > 0 ? (
        <span className="run-status__text muted" data-testid={`backup-reused-${result.unit}`}>
          {t('backup.result.reused', { count: result.reusedFiles ?? 0 })}
        </span>
      ) : null}
      {result.status === 'partial' ? (
        <SkippedPaths skipped={result.skipped} testId={`backup-skipped-${result.unit}`} />
      ) : null}
      {result.warnings.length > 0 ? (
        <details className="run-status__warnings">
          <summary>{t('backup.warnings', { count: result.warnings.length })}</summary>
          <ul>
            {result.warnings.map((warning) => (
              <li key={warning} className="mono">
                {warning}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/** The paths a partial backup left out, each with its reason; names shown escaped (they come from the vehicle). */
export function SkippedPaths({ skipped, testId }: { skipped: readonly SkippedPathView[]; testId: string }) {
  const { t } = useI18n();
  return (
    <details className="run-status__warnings run-status__skipped notice--attention" data-testid={testId} open>
      <summary title={t('backup.result.partialHint')}>{t('backup.result.partial', { count: skipped.length })}</summary>
      <ul>
        {skipped.map((item) => (
          <li key={item.path} className="mono" data-testid="backup-skipped-path">
            {terminalField(item.path)}: {item.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
