import { useState } from 'react';

import type { HealthLevel } from '../../../shared/domain/health';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';

/**
 * Where a finished run leads: its units' pages, and a new diagnosis of them (read-only, started by the technician),
 * whose levels show here; Fleet and the unit's page follow it as it lands.
 */
export function RunNext({ units }: { units: readonly string[] }) {
  const { t } = useI18n();
  const api = useApi();
  const [isRunning, setRunning] = useState(false);
  const [levels, setLevels] = useState<Record<string, HealthLevel> | null>(null);
  const [error, setError] = useState<unknown>(null);

  const diagnose = async (): Promise<void> => {
    setRunning(true);
    setError(null);
    try {
      const reports = await api.call('diagnostics.run', { names: [...units] });
      setLevels(Object.fromEntries(reports.map((report) => [report.unit, report.level])));
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  };

  return (
    <div className="run__next" data-testid="run-next">
      <div className="toolbar">
        <button
          type="button"
          className="button button--primary"
          data-testid="run-diagnose-again"
          disabled={isRunning}
          aria-busy={isRunning}
          onClick={() => void diagnose()}
        >
          {isRunning ? t('run.diagnosing') : t('run.diagnoseAgain')}
        </button>
        {units.map((unit) => (
          <a
            key={unit}
            className="button"
            href={routeHref({ page: 'unit', name: unit })}
            data-testid={`run-unit-${unit}`}
          >
            {t('run.openUnit', { unit })}
          </a>
        ))}
      </div>
      {levels ? (
        <ul className="run__levels" data-testid="run-next-levels">
          {Object.entries(levels).map(([unit, level]) => (
            <li key={unit}>
              <span translate="no">{unit}</span> <LevelChip level={level} testId={`run-next-level-${unit}`} />
            </li>
          ))}
        </ul>
      ) : null}
      {error ? <ErrorNotice error={error} testId="run-next-error" /> : null}
    </div>
  );
}
