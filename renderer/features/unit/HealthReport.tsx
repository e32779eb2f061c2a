import { useId, useMemo, useState } from 'react';

import { HEALTH_LEVELS } from '../../../shared/domain/health';
import { ErrorNotice } from '../../components/ErrorNotice';
import { LevelChip } from '../../components/LevelChip';
import { formatSeconds } from '../../i18n/format';
import { useI18n } from '../../i18n/I18nProvider';
import { BusState } from './BusState';
import { CheckNode } from './CheckNode';
import { FindingList } from './FindingList';
import { countLeaves, problemsOnly, rolledUp } from './healthTree';
import { useUnit } from '../../platform/stores/unitContext';

/**
 * The health of the report on show (latest, or the run picked in the history): its findings first, worst first,
 * each with its Fix…; then the checks, only the problems unless every check is asked for; and the unit's bus.
 */
export function HealthReport() {
  const { t, time, language } = useI18n();
  const report = useUnit((state) => state.report);
  const reportError = useUnit((state) => state.reportError);
  const pickedRunId = useUnit((state) => state.pickedRunId);
  const bus = useUnit((state) => state.unit?.bus ?? null);
  const name = useUnit((state) => state.name);
  const showLatest = useUnit((state) => state.actions.showLatest);
  const [isAllChecks, setAllChecks] = useState(false);
  const filterId = useId();

  const checks = useMemo(() => (report ? rolledUp(report.checks) : []), [report]);
  const shown = useMemo(() => (isAllChecks ? checks : problemsOnly(checks)), [checks, isAllChecks]);
  const counts = useMemo(() => countLeaves(checks), [checks]);
  const findings = report?.findings ?? [];

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
          {findings.length > 0 ? (
            <FindingList findings={findings} checks={report.checks} unit={report.unit} />
          ) : report.level === 'OK' ? (
            <p className="notice notice--ok" data-testid="findings-none">
              {t('findings.none')}
            </p>
          ) : null}
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
                checked={isAllChecks}
                onChange={(event) => setAllChecks(event.target.checked)}
                data-testid="all-checks"
              />
              {t('findings.allChecks')}
            </label>
          </div>
          {shown.length > 0 ? (
            <ul className="tree" data-testid="health-tree" aria-label={t('findings.checks')}>
              {shown.map((check) => (
                <CheckNode key={check.id} check={check} unit={report.unit} checkedAt={report.startedAt} />
              ))}
            </ul>
          ) : null}
        </>
      ) : (
        <p className="empty" data-testid="no-report">
          {t('unit.noReport')}
        </p>
      )}
      {bus ? <BusState name={name} bus={bus} /> : null}
    </section>
  );
}
