import type { HealthLevel } from '../../../shared/domain/health';
import type { Unit } from '../../../shared/domain/unit';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';

/** How many units stand at each level: the fleet's state in one line, worst level first. */
export function LevelSummary({ units }: { units: readonly Unit[] }) {
  const { t } = useI18n();
  const counts = new Map<HealthLevel | null, number>();
  for (const unit of units) {
    counts.set(unit.lastLevel, (counts.get(unit.lastLevel) ?? 0) + 1);
  }
  // Same order as the list below it: never diagnosed sits between WARN and OK.
  const levels: (HealthLevel | null)[] = ['STALE', 'ERROR', 'WARN', null, 'OK'];
  return (
    <p className="summary" data-testid="fleet-summary">
      <span className="summary__total">{t('fleet.count', { count: units.length })}</span>
      {levels
        .filter((level) => counts.has(level))
        .map((level) => (
          <span key={level ?? 'never'} className="summary__item">
            <LevelChip level={level} /> × {counts.get(level)}
          </span>
        ))}
    </p>
  );
}
