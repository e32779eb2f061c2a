import { useMemo } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { routeHref, routePath } from '../../platform/routes';
import { useI18n } from '../../i18n/I18nProvider';
import { useNavigation } from '../../platform/NavigationProvider';
import { useBackups } from '../../platform/stores/BackupsProvider';
import { TeamFleet } from '../team';
import { useFleet } from '../../platform/stores/FleetProvider';
import { LevelSummary } from './LevelSummary';
import { sortWorstFirst } from './sortUnits';
import { UnitRow } from './UnitRow';
import './fleet.css';

export function FleetPage() {
  const { t } = useI18n();
  const units = useFleet((state) => state.units);
  const loadError = useFleet((state) => state.loadError);
  const runError = useFleet((state) => state.runError);
  const isBusy = useFleet((state) => state.running.length > 0);
  const failed = useFleet((state) => state.failed);
  const { load, diagnose, retryFailed } = useFleet((state) => state.actions);
  const sorted = useMemo(() => (units ? sortWorstFirst(units) : []), [units]);
  const navigation = useNavigation();
  const isBackingUp = useBackups((state) => state.run?.isRunning === true);
  const backUp = useBackups((state) => state.actions.run);

  return (
    <section className="page" data-testid="fleet-page">
      <header className="page__head">
        <div>
          <h1 className="page__title">{t('fleet.title')}</h1>
          {units ? <LevelSummary units={units} /> : null}
        </div>
        <div className="toolbar">
          <a className="button" href={routeHref({ page: 'add' })} data-testid="add-unit-button">
            {t('fleet.addUnit')}
          </a>
          <button
            type="button"
            className="button button--primary"
            data-testid="diagnose-all"
            disabled={sorted.length === 0 || isBusy}
            onClick={() => void diagnose(sorted.map((unit) => unit.name))}
          >
            {t('fleet.diagnoseAll')}
          </button>
          {failed.length > 0 ? (
            <button
              type="button"
              className="button"
              data-testid="diagnose-retry-failed"
              disabled={isBusy}
              onClick={() => void retryFailed()}
            >
              {t('fleet.retryFailed', { count: failed.length })}
            </button>
          ) : null}
          <button
            type="button"
            className="button"
            data-testid="fleet-backup-all"
            disabled={sorted.length === 0 || isBackingUp}
            onClick={() => {
              // The Backups page shows each unit's progress bar; the run goes on if the technician leaves it.
              void backUp(
                sorted.map((unit) => unit.name),
                { database: 'online', confirmServiceStop: false },
              );
              navigation.go(routePath({ page: 'backups' }));
            }}
          >
            {t('fleet.backupAll')}
          </button>
        </div>
      </header>

      {loadError ? <ErrorNotice error={loadError} testId="fleet-error" onRetry={() => void load()} /> : null}
      {runError ? <ErrorNotice error={runError} testId="run-error" /> : null}

      {units === null && !loadError ? <p className="muted">{t('fleet.loading')}</p> : null}
      {units !== null && units.length === 0 ? (
        <p className="empty" data-testid="fleet-empty">
          {t('fleet.empty')}
        </p>
      ) : null}
      {sorted.length > 0 ? (
        <table className="fleet" data-testid="fleet-table">
          <thead>
            <tr>
              <th scope="col">{t('fleet.col.unit')}</th>
              <th scope="col">{t('fleet.col.status')}</th>
              <th scope="col">{t('fleet.col.host')}</th>
              <th scope="col">{t('fleet.col.lastRun')}</th>
              <th scope="col">{t('fleet.col.lastChange')}</th>
              <th scope="col">{t('fleet.col.hostKey')}</th>
              <th scope="col">
                {/* Hidden text, not a hidden cell: the header row must keep all its columns. */}
                <span className="visually-hidden">{t('fleet.col.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((unit) => (
              <UnitRow key={unit.name} unit={unit} />
            ))}
          </tbody>
        </table>
      ) : null}
      <TeamFleet />
    </section>
  );
}
