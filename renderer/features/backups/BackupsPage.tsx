import { useId, useMemo } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useFleet } from '../../platform/stores/FleetProvider';
import { BackupRunControls } from './BackupRunControls';
import { BackupsTable } from './BackupsTable';
import { latestByUnit } from './latestBackups';
import { PrunePanel } from './PrunePanel';
import { ReplicaPanel } from './ReplicaPanel';
import { StoreSummary } from './StoreSummary';
import { useBackupList } from './useBackupList';
import { useNow } from './useNow';
import { useUnitSelection } from './useUnitSelection';
import './backups.css';

/** The fleet's backups: each unit's latest, backing up several or all with a progress bar each, and retention. */
export function BackupsPage() {
  const { t } = useI18n();
  const units = useFleet((state) => state.units);
  const fleetError = useFleet((state) => state.loadError);
  const { backups, error: listError, reload } = useBackupList(undefined, 'backup');
  const latest = useMemo(() => latestByUnit(backups ?? []), [backups]);
  const now = useNow();
  const titleId = useId();

  const names = useMemo(() => (units ?? []).map((unit) => unit.name).sort((a, b) => a.localeCompare(b)), [units]);
  const selection = useUnitSelection(names);

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

      <BackupRunControls names={names} chosen={selection.chosen} />

      {units !== null && units.length === 0 ? (
        <p className="empty" data-testid="backups-empty">
          {t('fleet.empty')}
        </p>
      ) : null}
      {names.length > 0 ? (
        <BackupsTable names={names} latest={latest} isListLoading={backups === null} selection={selection} now={now} />
      ) : null}

      <PrunePanel />
      <ReplicaPanel />
    </section>
  );
}
