import { useEffect, useId, useMemo, useState } from 'react';

import type { DatabaseCopyMode } from '../../../shared/domain/backup';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { Time } from '../../components/Time';
import { useI18n } from '../../i18n/I18nProvider';
import { LOCALES } from '../../i18n/languages';
import { useApi } from '../../platform/ApiProvider';
import { useFleet } from '../../platform/stores/FleetProvider';
import { formatBytes } from '../../i18n/formatBytes';
import { formatAge } from './backupFormat';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { failedUnits } from '../../platform/stores/backupsStore';
import { latestByUnit } from './latestBackups';
import { PartialTag } from './PartialTag';
import { PrunePanel } from './PrunePanel';
import { ReplicaPanel } from './ReplicaPanel';
import { UnitRunStatus } from './UnitRunStatus';
import { useBackupList } from './useBackupList';
import { VerifyStatus } from './VerifyStatus';
import './backups.css';

/** The fleet's backups: each unit's latest, backing up several or all with a progress bar each, and retention. */
export function BackupsPage() {
  const { t, language } = useI18n();
  const units = useFleet((state) => state.units);
  const fleetError = useFleet((state) => state.loadError);
  const run = useBackups((state) => state.run);
  const { run: startRun, retryFailed, verify } = useBackups((state) => state.actions);
  const { backups, error: listError, reload } = useBackupList(undefined, 'backup');
  const latest = useMemo(() => latestByUnit(backups ?? []), [backups]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [database, setDatabase] = useState<DatabaseCopyMode>('online');
  const [confirmServiceStop, setConfirmServiceStop] = useState(false);
  const [isFull, setFull] = useState(false);
  const now = useNow();
  const titleId = useId();
  const databaseId = useId();

  const names = useMemo(() => (units ?? []).map((unit) => unit.name).sort((a, b) => a.localeCompare(b)), [units]);
  const chosen = names.filter((name) => selected.has(name));
  const isRunning = run?.isRunning === true;
  const failed = failedUnits(run);
  const okCount = (run?.results ?? []).filter((result) => result.status !== 'failed').length;
  const isStopBlocked = database === 'service-stopped' && !confirmServiceStop;
  const canStart = !isRunning && !isStopBlocked;
  const isAllSelected = names.length > 0 && chosen.length === names.length;

  const toggle = (name: string): void =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(name)) {
        next.delete(name);
      } else {
        next.add(name);
      }
      return next;
    });
  const backUp = (which: readonly string[]): void =>
    void startRun(which, { database, confirmServiceStop, full: isFull });

  return (
    <section className="page backups" data-testid="backups-page" aria-labelledby={titleId}>
      <header className="page__head">
        <div>
          <h1 className="page__title" id={titleId}>
            {t('backup.title')}
          </h1>
          <StoreSummary />
        </div>
      </header>

      {fleetError ? <ErrorNotice error={fleetError} testId="backups-fleet-error" /> : null}
      {listError ? <ErrorNotice error={listError} testId="backups-list-error" onRetry={reload} /> : null}

      <div className="panel backups__controls">
        <div className="backups__options">
          <div className="field backups__database">
            <label htmlFor={databaseId}>{t('backup.database')}</label>
            <select
              id={databaseId}
              value={database}
              data-testid="backup-database-mode"
              onChange={(event) => setDatabase(event.target.value === 'service-stopped' ? 'service-stopped' : 'online')}
            >
              <option value="online">{t('backup.database.online')}</option>
              <option value="service-stopped">{t('backup.database.stopped')}</option>
            </select>
          </div>
          <label className="checkbox backups__full" title={t('backup.fullHint')}>
            <input
              type="checkbox"
              checked={isFull}
              data-testid="backup-full"
              onChange={(event) => setFull(event.target.checked)}
            />
            {t('backup.full')}
          </label>
          {database === 'service-stopped' ? (
            <label className="checkbox notice notice--attention backups__stop">
              <input
                type="checkbox"
                checked={confirmServiceStop}
                data-testid="backup-confirm-stop"
                onChange={(event) => setConfirmServiceStop(event.target.checked)}
              />
              {t('backup.database.confirmStop')}
            </label>
          ) : null}
        </div>
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

      {units !== null && units.length === 0 ? (
        <p className="empty" data-testid="backups-empty">
          {t('fleet.empty')}
        </p>
      ) : null}
      {names.length > 0 ? (
        <table className="fleet backups__table" data-testid="backups-table">
          <thead>
            <tr>
              <th scope="col" className="backups__check">
                <input
                  type="checkbox"
                  aria-label={t('backup.selectAll')}
                  checked={isAllSelected}
                  data-testid="backup-select-all"
                  onChange={() => setSelected(isAllSelected ? new Set() : new Set(names))}
                />
              </th>
              <th scope="col">{t('fleet.col.unit')}</th>
              <th scope="col">{t('backup.col.latest')}</th>
              <th scope="col">{t('backup.col.files')}</th>
              <th scope="col">{t('backup.col.size')}</th>
              <th scope="col">{t('backup.col.new')}</th>
              <th scope="col">{t('backup.col.verify')}</th>
              <th scope="col" className="backups__progress-col">
                {t('backup.col.progress')}
              </th>
              <th scope="col">
                <span className="visually-hidden">{t('fleet.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {names.map((name) => {
              const backup = latest.get(name);
              return (
                <tr key={name} className="fleet__row" data-testid={`backup-row-${name}`}>
                  <td className="backups__check">
                    <input
                      type="checkbox"
                      aria-label={t('backup.select', { unit: name })}
                      checked={selected.has(name)}
                      data-testid={`backup-select-${name}`}
                      onChange={() => toggle(name)}
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
                  ) : (
                    <td colSpan={5} className="muted" data-testid={`backup-latest-${name}`}>
                      {backups === null ? t('backup.loading') : t('backup.never')}
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
            })}
          </tbody>
        </table>
      ) : null}

      <PrunePanel />
      <ReplicaPanel />
    </section>
  );
}

/** Store totals: how much deduplication and compression save across the fleet. */
function StoreSummary() {
  const { t, language } = useI18n();
  const api = useApi();
  const listVersion = useBackups((state) => state.listVersion);
  const [stats, setStats] = useState<{ backups: number; units: number; storedBytes: number; logicalBytes: number }>();
  useEffect(() => {
    let isCurrent = true;
    api.call('backup.stats', {}).then(
      (answer) => {
        if (isCurrent) {
          setStats(answer);
        }
      },
      // The totals are a courtesy; the list below reports a store that cannot be read.
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [api, listVersion]);
  if (!stats) {
    return null;
  }
  return (
    <p className="summary" data-testid="backup-stats">
      {t('backup.stats', {
        backups: stats.backups,
        units: stats.units,
        logical: formatBytes(stats.logicalBytes, language),
        stored: formatBytes(stats.storedBytes, language),
      })}
    </p>
  );
}

/** The current time, refreshed each minute so ages ("5 minutes ago") move on by themselves. */
export function useNow(intervalMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}
