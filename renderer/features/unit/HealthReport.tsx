import { useId, useMemo, useState } from 'react';

import { HEALTH_LEVELS } from '../../../shared/domain/health';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { CheckNode } from './CheckNode';
import { countLeaves, problemsOnly, rolledUp } from './healthTree';
import { useUnit } from './unitContext';

/** The health tree of the report on show (latest, or the run picked in the history). */
export function HealthReport() {
  const { t, time, language } = useI18n();
  const report = useUnit((state) => state.report);
  const reportError = useUnit((state) => state.reportError);
  const pickedRunId = useUnit((state) => state.pickedRunId);
  const showLatest = useUnit((state) => state.actions.showLatest);
  const [isProblemsOnly, setProblemsOnly] = useState(false);
  const filterId = useId();

  const checks = useMemo(() => (report ? rolledUp(report.checks) : []), [report]);
  const shown = useMemo(() => (isProblemsOnly ? problemsOnly(checks) : checks), [checks, isProblemsOnly]);
  const counts = useMemo(() => countLeaves(checks), [checks]);

  return (
    <section className="panel report" aria-labelledby={`${filterId}-title`}>
      <header className="panel__head">
        <h2 className="section-title" id={`${filterId}-title`}>
          {t('unit.health')}
        </h2>
        {report ? (
          <>
            <LevelChip level={report.level} testId="report-level" />
            <span className="muted" data-testid="report-meta" data-run-id={report.runId}>
              {t('unit.reportMeta', {
                time: time(report.startedAt),
                seconds: formatSeconds(report.durationMs, language),
              })}
            </span>
          </>
        ) : null}
      </header>

      {pickedRunId !== null ? (
        <div className="notice notice--attention notice--inline" data-testid="viewing-old">
          <span>{t('unit.viewingOld')}</span>
          <button type="button" className="button button--small" onClick={() => void showLatest()}>
            {t('unit.showLatest')}
          </button>
        </div>
      ) : null}
      {reportError ? <ErrorNotice error={reportError} testId="report-error" /> : null}

      {report ? (
        <>
          <div className="report__bar">
            <span className="report__counts">
              {HEALTH_LEVELS.filter((level) => counts[level] > 0).map((level) => (
                <span key={level} className="summary__item" data-testid={`count-${level}`}>
                  <LevelChip level={level} /> × {counts[level]}
                </span>
              ))}
            </span>
            <label className="checkbox" htmlFor={filterId}>
              <input
                id={filterId}
                type="checkbox"
                checked={isProblemsOnly}
                onChange={(event) => setProblemsOnly(event.target.checked)}
                data-testid="problems-only"
              />
              {t('unit.problemsOnly')}
            </label>
          </div>
          <ul className="tree" data-testid="health-tree">
            {shown.map((check) => (
              <CheckNode key={check.id} check={check} unit={report.unit} checkedAt={report.startedAt} />
            ))}
          </ul>
        </>
      ) : (
        <p className="empty" data-testid="no-report">
          {t('unit.noReport')}
        </p>
      )}
    </section>
  );
}
