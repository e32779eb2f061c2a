import { Time } from '../../components/Time';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import type { TeamFleetUnit } from '../../../shared/domain/team';
import { useTeam } from './TeamProvider';
import type { TeamOrigin } from './teamStore';

/**
 * The fleet as the whole team knows it, on the Fleet page of a laptop in a team: each unit's last visit and last
 * backup, labelled by who and on which laptop, with Mine / Team to keep to this laptop's own units.
 */
export function TeamFleet() {
  const { t } = useI18n();
  const fleet = useTeam((state) => state.fleet);
  const origin = useTeam((state) => state.origin);
  const setOrigin = useTeam((state) => state.actions.setOrigin);
  if (fleet === null) {
    return null;
  }
  const shown = origin === 'mine' ? fleet.filter((unit) => unit.mine) : fleet;
  const who = (device: string | null, actor: string | null) =>
    t('team.fleet.by', { actor: actor ?? '?', laptop: device ?? t('team.fleet.thisLaptop') });
  return (
    <section className="team-fleet" data-testid="team-fleet">
      <header className="page__head">
        <div>
          <h2>{t('team.fleet.title')}</h2>
          <p className="muted">{t('team.fleet.intro')}</p>
        </div>
        <div className="toolbar" role="group">
          {(['mine', 'team'] as TeamOrigin[]).map((value) => (
            <button
              key={value}
              type="button"
              className={value === origin ? 'button button--primary' : 'button'}
              aria-pressed={value === origin}
              data-testid={`team-origin-${value}`}
              onClick={() => setOrigin(value)}
            >
              {t(value === 'mine' ? 'team.fleet.mine' : 'team.fleet.team')}
            </button>
          ))}
        </div>
      </header>
      {shown.length === 0 ? (
        <p className="empty">{t('team.fleet.empty')}</p>
      ) : (
        <table className="fleet" data-testid="team-fleet-table">
          <thead>
            <tr>
              <th scope="col">{t('team.fleet.col.unit')}</th>
              <th scope="col">{t('team.fleet.col.lastVisit')}</th>
              <th scope="col">{t('team.fleet.col.lastBackup')}</th>
              <th scope="col">{t('team.fleet.col.laptops')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((unit) => (
              <TeamFleetRow key={unit.name} unit={unit} who={who} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function TeamFleetRow({
  unit,
  who,
}: {
  unit: TeamFleetUnit;
  who: (device: string | null, actor: string | null) => string;
}) {
  const { t } = useI18n();
  // The core names this laptop 'this laptop' among the devices; shown in the current language.
  const laptops = unit.devices.map((device, i) => (unit.mine && i === 0 ? t('team.fleet.thisLaptop') : device));
  return (
    <tr data-testid="team-fleet-row" data-unit={unit.name}>
      <th scope="row">
        {unit.name}
        {unit.conflict ? (
          <span className="team-fleet__conflict" role="alert" data-testid="team-fleet-conflict">
            {' '}
            {t('team.fleet.conflict')}
          </span>
        ) : null}
      </th>
      <td data-testid="team-fleet-visit">
        {unit.lastVisit ? (
          <>
            <LevelChip level={unit.lastVisit.level} /> <Time iso={unit.lastVisit.at} />{' '}
            <span className="muted">{who(unit.lastVisit.device, unit.lastVisit.actor)}</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td data-testid="team-fleet-backup">
        {unit.lastBackup ? (
          <>
            <Time iso={unit.lastBackup.at} />{' '}
            <span className="muted">{who(unit.lastBackup.device, unit.lastBackup.actor)}</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td>{laptops.join(', ')}</td>
    </tr>
  );
}
