import type { UnitBusState } from '../../../shared/domain/unit';
import { routeHref } from '../../platform/routes';
import { LevelChip } from '../../components/LevelChip';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import './findings.css';

/**
 * The unit's RS485 bus as its last offline diagnosis found it: its level, its worst finding in words and when; the
 * bus page has the rest. `compact` is the Fleet row's one line.
 */
export function BusState({ name, bus, compact = false }: { name: string; bus: UnitBusState; compact?: boolean }) {
  const { t, time } = useI18n();
  const [top] = bus.findings;
  return (
    <div className={`bus-state${compact ? ' bus-state--compact' : ''}`} data-testid={`bus-state-${name}`}>
      <span className="bus-state__label">{t('bus.state.title')}</span>{' '}
      <LevelChip level={bus.level} testId={`bus-level-${name}`} />{' '}
      {top ? (
        <SaidText check={top} className="bus-state__finding" testId={`bus-finding-${name}`} />
      ) : (
        <span className="muted">{t('bus.state.ok')}</span>
      )}
      {compact ? null : (
        <>
          {' '}
          <span className="muted">
            · <time dateTime={bus.at}>{t('bus.state.at', { time: time(bus.at) })}</time>
          </span>{' '}
          <a href={routeHref({ page: 'bus' })} data-testid="bus-state-open">
            {t('bus.state.open')}
          </a>
        </>
      )}
    </div>
  );
}
