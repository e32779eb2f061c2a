import type { Unit } from '../../../shared/domain/unit';
import { routeHref } from '../../platform/routes';
import { useI18n } from '../../i18n/I18nProvider';
import { HostKeyPanel } from '../../components/hostKey';

/** The second step of adding a unit: its host key, then the way on. */
export function UnitAdded({ unit }: { unit: Unit }) {
  const { t } = useI18n();
  return (
    <div className="stack" data-testid="unit-added">
      <p className="notice notice--ok" role="status">
        {t('add.added', { name: unit.name })}{' '}
        <span className="mono">
          {unit.user}@{unit.host}:{unit.port}
        </span>
      </p>
      <HostKeyPanel unit={unit.name} />
      <div className="toolbar">
        <a
          className="button button--primary"
          href={routeHref({ page: 'unit', name: unit.name })}
          data-testid="open-unit"
        >
          {t('add.openUnit')}
        </a>
        <a className="button" href={routeHref({ page: 'fleet' })} data-testid="back-to-fleet">
          {t('add.backToFleet')}
        </a>
      </div>
    </div>
  );
}
