import type { BackupSummaryView } from '../../../shared/domain/backup';
import { useI18n } from '../../i18n/I18nProvider';
import { BackupRow } from './BackupRow';
import type { UnitSelection } from './useUnitSelection';

type Props = {
  names: readonly string[];
  latest: ReadonlyMap<string, BackupSummaryView>;
  isListLoading: boolean;
  selection: UnitSelection;
  now: number;
};

/** The fleet's units, each with its latest backup, to pick the ones to back up. */
export function BackupsTable({ names, latest, isListLoading, selection, now }: Props) {
  const { t } = useI18n();
  return (
    <table className="fleet backups__table" data-testid="backups-table">
      <thead>
        <tr>
          <th scope="col" className="backups__check">
            <input
              type="checkbox"
              aria-label={t('backup.selectAll')}
              checked={selection.isAllSelected}
              data-testid="backup-select-all"
              onChange={selection.toggleAll}
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
        {names.map((name) => (
          <BackupRow
            key={name}
            name={name}
            backup={latest.get(name)}
            isListLoading={isListLoading}
            isSelected={selection.selected.has(name)}
            onToggle={() => selection.toggle(name)}
            now={now}
          />
        ))}
      </tbody>
    </table>
  );
}
