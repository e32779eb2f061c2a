import { useId, useState } from 'react';

import type { BackupSummaryView } from '../../../shared/domain/backup';

import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { LOCALES } from '../../i18n/languages';
import { useFleet } from '../../platform/stores/FleetProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { PartialTag } from './PartialTag';
import { SaveCopyForm } from './SaveCopyForm';
import { UnitRunStatus } from './UnitRunStatus';
import { useBackupList } from './useBackupList';
import { VerifyProblems } from './VerifyProblems';
import { VerifyStatus } from './VerifyStatus';
import './backups.css';

/** How many files a quick verify reads in full. */
export const SAMPLE_FILES = 20;

/** One unit's backups and snapshots: back up now, verify (in full or a sample), restore one. */
export function UnitBackupsPage({ name }: { name: string }) {
  const { t } = useI18n();
  const units = useFleet((state) => state.units);
  const isKnown = units === null || units.some((unit) => unit.name === name);
  const run = useBackups((state) => state.run);
  const { run: startRun } = useBackups((state) => state.actions);
  const { backups, error, reload } = useBackupList(name, 'all');
  const titleId = useId();
  const latestBytes = backups?.find((backup) => backup.kind === 'backup')?.bytes ?? null;

  return (
    <section className="page backups" data-testid="unit-backups-page" aria-labelledby={titleId}>
      <header className="unit__head">
        <nav className="backups__crumbs">
          <a className="back" href={routeHref({ page: 'backups' })} data-testid="backups-back">
            {t('backup.back')}
          </a>
          <a className="back" href={routeHref({ page: 'unit', name, tab: 'backups' })} data-testid="backups-unit-link">
            {t('backup.openUnit', { unit: name })}
          </a>
        </nav>
        <div className="page__head">
          <h1 className="page__title" id={titleId}>
            {t('backup.unitTitle', { unit: name })}
          </h1>
          <div className="toolbar">
            <button
              type="button"
              className="button button--primary"
              data-testid="backup-unit-now"
              disabled={!isKnown || run?.isRunning === true}
              onClick={() => void startRun([name], { database: 'online', confirmServiceStop: false })}
            >
              {t('backup.runOne')}
            </button>
            <a
              className="button"
              href={routeHref({ page: 'restore', name, backupId: null })}
              data-testid="backup-unit-restore"
            >
              {t('backup.restoreWizard')}
            </a>
          </div>
        </div>
        <UnitRunStatus unit={name} expectedBytes={latestBytes} />
        {run?.error && run.names.includes(name) ? <ErrorNotice error={run.error} testId="backup-run-error" /> : null}
      </header>

      {!isKnown ? (
        <p className="notice notice--error" data-testid="unit-missing">
          {t('unit.notFound', { name })}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} testId="unit-backups-error" onRetry={reload} /> : null}
      {backups === null && !error ? <p className="muted">{t('backup.loading')}</p> : null}
      {backups !== null && backups.length === 0 ? (
        <p className="empty" data-testid="unit-backups-empty">
          {t('backup.noneForUnit')}
        </p>
      ) : null}
      {backups !== null && backups.length > 0 ? (
        <table className="fleet backups__table" data-testid="unit-backups-table">
          <BackupsTableHead />
          <tbody>
            {backups.map((backup) => (
              <BackupRows key={backup.id} unit={name} backup={backup} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** One backup of the unit: its row, and beneath it the save-a-copy form and the damage a verify found, when open. */
function BackupRows({ unit, backup }: { unit: string; backup: BackupSummaryView }) {
  const { t, language } = useI18n();
  const entry = useBackups((state) => state.verifies[backup.id]);
  const [isSavingCopy, setSavingCopy] = useState(false);
  const isVerifying = entry?.status === 'running';
  const hasProblems = entry?.status === 'failed' || (entry?.status === 'done' && !entry.result.ok);
  return (
    <>
      <tr className="fleet__row" data-testid="unit-backup" data-backup-id={backup.id} data-kind={backup.kind}>
        <td>
          <Time iso={backup.completedAt} />
        </td>
        <td>
          <span className={`tag tag--${backup.kind}`}>{t(`backup.kind.${backup.kind}`)}</span>
          <PartialTag backup={backup} />
          {backup.hasSecrets ? (
            <span className="tag tag--quiet" title={t('backup.secretsHint')}>
              {t('backup.secrets')}
            </span>
          ) : null}
        </td>
        <td>{backup.files.toLocaleString(LOCALES[language])}</td>
        <td>{formatBytes(backup.bytes, language)}</td>
        <td>{formatBytes(backup.newBytes, language)}</td>
        <td>{formatBytes(backup.storedBytes, language)}</td>
        <td>
          <VerifyStatus backupId={backup.id} testId={`verify-status-${backup.id}`} />
        </td>
        <td className="fleet__actions backups__row-actions">
          <BackupActions
            unit={unit}
            backupId={backup.id}
            isVerifying={isVerifying}
            onSaveCopy={() => setSavingCopy(!isSavingCopy)}
          />
        </td>
      </tr>
      {isSavingCopy ? (
        <tr className="backups__problems-row">
          <td colSpan={8}>
            <SaveCopyForm backupId={backup.id} onClose={() => setSavingCopy(false)} />
          </td>
        </tr>
      ) : null}
      {hasProblems ? (
        <tr className="backups__problems-row">
          <td colSpan={8}>
            <VerifyProblems backupId={backup.id} testId={`verify-problems-${backup.id}`} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function BackupActions({
  unit,
  backupId,
  isVerifying,
  onSaveCopy,
}: {
  unit: string;
  backupId: string;
  isVerifying: boolean;
  onSaveCopy: () => void;
}) {
  const { t } = useI18n();
  const { verify } = useBackups((state) => state.actions);
  return (
    <>
      <button
        type="button"
        className="button button--small"
        data-testid={`verify-full-${backupId}`}
        disabled={isVerifying}
        onClick={() => void verify(backupId)}
      >
        {t('backup.verify')}
      </button>
      <button
        type="button"
        className="button button--small"
        data-testid={`verify-sample-${backupId}`}
        disabled={isVerifying}
        title={t('backup.verifySampleHint', { count: SAMPLE_FILES })}
        onClick={() => void verify(backupId, SAMPLE_FILES)}
      >
        {t('backup.verifySample')}
      </button>
      <a
        className="button button--small"
        href={routeHref({ page: 'restore', name: unit, backupId })}
        data-testid={`restore-${backupId}`}
      >
        {t('backup.restore')}
      </a>
      <button
        type="button"
        className="button button--small button--quiet"
        data-testid={`save-copy-open-${backupId}`}
        onClick={onSaveCopy}
      >
        {t('backup.saveCopy')}
      </button>
    </>
  );
}

function BackupsTableHead() {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        <th scope="col">{t('backup.col.time')}</th>
        <th scope="col">{t('backup.col.kind')}</th>
        <th scope="col">{t('backup.col.files')}</th>
        <th scope="col">{t('backup.col.size')}</th>
        <th scope="col">{t('backup.col.new')}</th>
        <th scope="col">{t('backup.col.stored')}</th>
        <th scope="col">{t('backup.col.verify')}</th>
        <th scope="col">
          <span className="visually-hidden">{t('fleet.col.actions')}</span>
        </th>
      </tr>
    </thead>
  );
}
