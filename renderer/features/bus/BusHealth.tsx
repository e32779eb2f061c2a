import { useId, useMemo, useState } from 'react';

import { HEALTH_LEVELS, type DiagnosisReport } from '../../../shared/domain/health';

import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
// The unit page's health-tree pieces, so the offline checks read exactly like the SSH diagnosis.
import { CheckNode, countLeaves, problemsOnly, rolledUp } from '../unit';
import { useBus } from './busContext';
import { unitForCalls } from './busStore';
import { useBusDiagnosis } from './useBusDiagnosis';

/** The offline diagnosis of the bus: the rs485.* checks in the same health tree as the SSH diagnosis. */
export function BusHealth({ busId }: { busId: string }) {
  const { t, time, language } = useI18n();
  const unit = useBus(unitForCalls);
  const { report, error, isRunning, diagnose } = useBusDiagnosis(busId, unit);
  const id = useId();

  return (
    <section className="panel report bus__health" aria-labelledby={`${id}-title`} data-testid="bus-health">
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {t('bus.health.title')}
        </h2>
        {report ? (
          <>
            <LevelChip level={report.level} testId="bus-report-level" />
            <span className="muted" data-testid="bus-report-meta" data-run-id={report.runId}>
              {t('bus.health.meta', {
                time: time(report.startedAt),
                seconds: formatSeconds(report.durationMs, language),
              })}
            </span>
          </>
        ) : null}
        <span className="bus__spacer" />
        <button
          type="button"
          className="button button--primary"
          disabled={isRunning}
          onClick={() => void diagnose()}
          data-testid="bus-diagnose"
        >
          {isRunning ? t('bus.health.running') : t('bus.health.run')}
        </button>
      </header>
      <p className="muted">{unit ? t('bus.health.intoHistory', { unit }) : t('bus.health.bench')}</p>
      {error ? <ErrorNotice error={error} testId="bus-diagnose-error" /> : null}
      {report ? (
        <BusHealthReport report={report} />
      ) : (
        <p className="empty" data-testid="bus-no-report">
          {t('bus.health.none')}
        </p>
      )}
    </section>
  );
}

/** The diagnosis as a health tree: counts per level, and the problems alone on request. */
function BusHealthReport({ report }: { report: DiagnosisReport }) {
  const { t } = useI18n();
  const [isProblemsOnly, setProblemsOnly] = useState(false);
  const checks = useMemo(() => rolledUp(report.checks), [report]);
  const shown = useMemo(() => (isProblemsOnly ? problemsOnly(checks) : checks), [checks, isProblemsOnly]);
  const counts = useMemo(() => countLeaves(checks), [checks]);

  return (
    <>
      <div className="report__bar">
        <span className="report__counts">
          {HEALTH_LEVELS.filter((level) => counts[level] > 0).map((level) => (
            <span key={level} className="summary__item">
              <LevelChip level={level} /> × {counts[level]}
            </span>
          ))}
        </span>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={isProblemsOnly}
            onChange={(event) => setProblemsOnly(event.target.checked)}
            data-testid="bus-problems-only"
          />
          {t('unit.problemsOnly')}
        </label>
      </div>
      <ul className="tree" data-testid="bus-health-tree">
        {shown.map((check) => (
          <CheckNode key={check.id} check={check} />
        ))}
      </ul>
    </>
  );
}
