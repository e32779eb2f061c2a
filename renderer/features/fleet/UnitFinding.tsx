import type { Unit } from '../../../shared/domain/unit';
import { SaidText } from '../../components/SaidText';
import { useI18n } from '../../i18n/I18nProvider';
import { BusState } from '../unit';

/** What the unit's last sweep found, in words (its worst finding, and how many more), and its bus when diagnosed. */
export function UnitFinding({ unit }: { unit: Unit }) {
  const { t } = useI18n();
  const [top, ...rest] = unit.findings ?? [];
  if (!top && !unit.bus) {
    return null;
  }
  return (
    <div className="fleet__finding">
      {top ? (
        <p className="fleet__finding-text" data-testid={`top-finding-${unit.name}`} data-root={top.root}>
          <SaidText check={top} />
          {rest.length > 0 ? (
            <span className="muted fleet__finding-more">
              {' '}
              {rest.length === 1 ? t('findings.moreOne') : t('findings.more', { count: rest.length })}
            </span>
          ) : null}
        </p>
      ) : null}
      {unit.bus ? <BusState name={unit.name} bus={unit.bus} compact /> : null}
    </div>
  );
}
