import type { Unit } from '../../../shared/domain/unit';
import { LevelChip } from '../../components/LevelChip';
import { PhaseIndicator } from '../../components/PhaseIndicator';
import { Time } from '../../components/Time';
import { routeHref } from '../../platform/routes';
import { useI18n } from '../../i18n/I18nProvider';
import { useFleet } from '../../platform/stores/FleetProvider';
import { LastChange } from './LastChange';
import { UnitFinding } from './UnitFinding';

export function UnitRow({ unit }: { unit: Unit }) {
  const { t } = useI18n();
  const phase = useFleet((state) => state.progress[unit.name]);
  const isRunning = useFleet((state) => state.running.includes(unit.name));
  const diagnose = useFleet((state) => state.actions.diagnose);
  const href = routeHref({ page: 'unit', name: unit.name });

  return (
    <tr className="fleet__row" data-testid={`unit-row-${unit.name}`} data-level={unit.lastLevel ?? 'NONE'}>
      <td>
        <a className="fleet__name" href={href} data-testid={`unit-link-${unit.name}`}>
          {unit.name}
        </a>
      </td>
      <td className="fleet__status">
        <LevelChip level={unit.lastLevel} testId={`status-chip-${unit.name}`} />
        {phase ? <PhaseIndicator phase={phase} testId={`progress-${unit.name}`} /> : null}
        <UnitFinding unit={unit} />
      </td>
      <td className="mono fleet__host">
        <span translate="no">
          {unit.user}@{unit.host}
        </span>
        {unit.port === 22 ? '' : `:${unit.port}`}
      </td>
      <td>{unit.lastRunAt ? <Time iso={unit.lastRunAt} /> : t('fleet.noRun')}</td>
      <td className="fleet__last-change">
        <LastChange name={unit.name} lastRunAt={unit.lastRunAt} />
      </td>
      <td>
        {unit.hostKey ? (
          <span className="tag tag--ok">{t('fleet.keyPinned')}</span>
        ) : (
          <span className="tag tag--attention" data-testid={`key-missing-${unit.name}`}>
            {t('fleet.keyMissing')}
          </span>
        )}
      </td>
      <td className="fleet__actions">
        <button
          type="button"
          className="button"
          data-testid={`diagnose-unit-${unit.name}`}
          disabled={isRunning || phase !== undefined}
          onClick={() => void diagnose([unit.name])}
        >
          {t('fleet.diagnose')}
        </button>
      </td>
    </tr>
  );
}
