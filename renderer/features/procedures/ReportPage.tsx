import { useCallback } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { routeHref } from '../../platform/routes';
import { localized } from '../../i18n/localized';
import { ReportAttemptRow } from './ReportAttemptRow';
import { ReportFacts } from './ReportFacts';
import { useCallResult } from '../../platform/useCallResult';

/**
 * The service report of a run, laid out for paper: the browser's (or Electron's) print to PDF turns this page into
 * the PDF the customer keeps. Everything on it comes from the recorded run.
 */
export function ReportPage({ runId }: { runId: string }) {
  const api = useApi();
  const { t, language } = useI18n();
  const load = useCallback(
    async () => ({ run: await api.call('procedures.run.get', { runId }), info: await api.call('app.info', {}) }),
    [api, runId],
  );
  const result = useCallResult(load);
  if (result.error) {
    return <ErrorNotice error={result.error} testId="report-load-error" onRetry={result.reload} />;
  }
  if (!result.value) {
    return <p className="muted">{t('run.loading')}</p>;
  }
  const { run, info } = result.value;
  return (
    <article className="report-sheet" data-testid="report-page" data-run-id={run.runId}>
      <div className="toolbar no-print">
        <a href={routeHref({ page: 'run', runId })}>← {t('report.back')}</a>
        <button type="button" className="button button--primary" data-testid="report-print" onClick={() => print()}>
          {t('report.print')}
        </button>
      </div>
      <header>
        <h1>{t('report.title')}</h1>
        <h2 data-testid="report-procedure">
          {localized(run.procedure.title, language)} · {run.procedure.id} v{run.procedure.version}
        </h2>
      </header>
      <ReportFacts run={run} version={info.version} />
      <table className="report-sheet__steps">
        <thead>
          <tr>
            <th scope="col">{t('report.step')}</th>
            <th scope="col">{t('report.result')}</th>
            <th scope="col">{t('report.details')}</th>
          </tr>
        </thead>
        <tbody>
          {run.attempts.map((attempt) => (
            <ReportAttemptRow
              key={attempt.seq}
              attempt={attempt}
              step={run.steps.find((each) => each.stepId === attempt.stepId)}
            />
          ))}
        </tbody>
      </table>
    </article>
  );
}
