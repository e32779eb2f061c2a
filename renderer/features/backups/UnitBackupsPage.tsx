import { Fragment, useId } from 'react';

import { routeHref } from '../../app/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { useFleet } from '../fleet';
import { formatBytes } from './backupFormat';
import { useBackups } from './BackupsProvider';
import { UnitRunStatus } from './UnitRunStatus';
import { useBackupList } from './useBackupList';
import { VerifyProblems } from './VerifyProblems';
import { VerifyStatus } from './VerifyStatus';
import './backups.css';

/** How many files a quick verify reads in full. */
export const SAMPLE_FILES = 20;

/** One unit's backups and snapshots: back up now, verify (in full or a sample), restore one. */
export function UnitBackupsPage({ name }: { name: string }) {
  const { t, language } = useI18n();
  const units = useFleet((state) => state.units);
  const isKnown = units === null || units.some((unit) => unit.name === name);
  const run = useBackups((state) => state.run);
  const { run: startRun, verify } = useBackups((state) => state.actions);
  const verifies = useBackups((state) => state.verifies);
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
          <tbody>
            {backups.map((backup) => {
              const entry = verifies[backup.id];
              const isVerifying = entry?.status === 'running';
              const hasProblems = entry?.status === 'failed' || (entry?.status === 'done' && !entry.result.ok);
              return (
                <Fragment key={backup.id}>
                  <tr
                    className="fleet__row"
                    data-testid="unit-backup"
                    data-backup-id={backup.id}
                    data-kind={backup.kind}
                  >
                    <td>
                      <Time iso={backup.completedAt} />
                    </td>
                    <td>
                      <span className={`tag tag--${backup.kind}`}>{t(`backup.kind.${backup.kind}`)}</span>
                      {backup.hasSecrets ? (
                        <span className="tag tag--quiet" title={t('backup.secretsHint')}>
                          {t('backup.secrets')}
                        </span>
                      ) : null}
                    </td>
                    <td>{backup.files.toLocaleString()}</td>
                    <td>{formatBytes(backup.bytes, language)}</td>
                    <td>{formatBytes(backup.newBytes, language)}</td>
                    <td>{formatBytes(backup.storedBytes, language)}</td>
                    <td>
                      <VerifyStatus backupId={backup.id} testId={`verify-status-${backup.id}`} />
                    </td>
                    <td className="fleet__actions backups__row-actions">
                      <button
                        type="button"
                        className="button button--small"
                        data-testid={`verify-full-${backup.id}`}
                        disabled={isVerifying}
                        onClick={() => void verify(backup.id)}
                      >
                        {t('backup.verify')}
                      </button>
                      <button
                        type="button"
                        className="button button--small"
                        data-testid={`verify-sample-${backup.id}`}
                        disabled={isVerifying}
                        title={t('backup.verifySampleHint', { count: SAMPLE_FILES })}
                        onClick={() => void verify(backup.id, SAMPLE_FILES)}
                      >
                        {t('backup.verifySample')}
                      </button>
                      <a
                        className="button button--small"
                        href={routeHref({ page: 'restore', name, backupId: backup.id })}
                        data-testid={`restore-${backup.id}`}
                      >
                        {t('backup.restore')}
                      </a>
                    </td>
                  </tr>
                  {hasProblems ? (
                    <tr className="backups__problems-row">
                      <td colSpan={8}>
                        <VerifyProblems backupId={backup.id} testId={`verify-problems-${backup.id}`} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
