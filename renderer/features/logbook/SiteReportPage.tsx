import { useCallback, useState } from 'react';

import type { SiteReport } from '../../../shared/domain/fleetReports';
import { siteCharts } from '../../../shared/domain/reportCharts';
import { routeHref } from '../../platform/routes';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useCallResult } from '../../platform/useCallResult';
import { ChartView } from './ChartView';
import { ReportDownloads } from './ReportDownloads';

const DAY = 86_400_000;

/** The site report for a period: the page with its charts, and the PDF, page, CSV or JSON for the customer. */
export function SiteReportPage() {
  const { t } = useI18n();
  const api = useApi();
  const [since, setSince] = useState(() => localDate(Date.now() - 30 * DAY));
  const [until, setUntil] = useState('');
  const [days, setDays] = useState(7);
  const request = {
    report: 'site' as const,
    since,
    ...(until === '' ? {} : { until }),
    backupMaxAgeDays: days,
  };
  const key = JSON.stringify(request);
  const load = useCallback(() => {
    const { report: _report, ...input } = JSON.parse(key) as typeof request;
    return api.call('reports.site', input);
  }, [api, key]);
  const report = useCallResult(load);
  return (
    <section className="page" data-testid="site-report-page">
      <header className="page__head">
        <h1 className="page__title">{t('site.title')}</h1>
        <a className="button" href={routeHref({ page: 'logbook' })}>
          ← {t('logbook.title')}
        </a>
      </header>
      <div className="toolbar">
        <label>
          {t('site.since')}{' '}
          <input type="date" value={since} onChange={(e) => setSince(e.target.value)} data-testid="site-since" />
        </label>
        <label>
          {t('site.until')}{' '}
          <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} data-testid="site-until" />
        </label>
        <label>
          {t('site.backupDays')}{' '}
          <input
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(e) => setDays(Math.max(1, Number(e.target.value) || 1))}
            data-testid="site-days"
          />
        </label>
        <ReportDownloads request={request} testId="site-download" />
      </div>
      {report.error ? <ErrorNotice error={report.error} testId="site-error" onRetry={report.reload} /> : null}
      {report.value ? <SiteBody report={report.value} /> : <p className="muted">{t('site.loading')}</p>}
    </section>
  );
}

function SiteBody({ report }: { report: SiteReport }) {
  const { t, language, time } = useI18n();
  const [health, incidents] = siteCharts(report, language);
  const p = report.procedures;
  return (
    <div className="stack" data-testid="site-body">
      <p className="muted">{t('site.units', { units: report.units.join(', ') })}</p>
      <section className="panel">{health ? <ChartView spec={health} /> : null}</section>
      <section className="panel">
        {incidents ? <ChartView spec={incidents} /> : null}
        <table className="report__table" data-testid="site-incidents">
          <thead>
            <tr>
              <th>{t('site.col.unit')}</th>
              <th>{t('site.col.estop')}</th>
              <th>{t('site.col.crashes')}</th>
              <th>{t('site.col.other')}</th>
              <th>{t('site.mtbf')}</th>
            </tr>
          </thead>
          <tbody>
            {report.incidents.map((i) => (
              <tr key={i.unit}>
                <td>{i.unit}</td>
                <td>{i.estop}</td>
                <td>{i.crashes}</td>
                <td>{i.otherErrors}</td>
                <td>{i.mtbfHours === null ? '—' : t('site.hours', { hours: i.mtbfHours })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" data-testid="site-coverage">
        <h2 className="section-title">{t('site.coverage')}</h2>
        <table className="report__table">
          <thead>
            <tr>
              <th>{t('site.col.unit')}</th>
              <th />
              <th>{t('site.col.lastVerified')}</th>
              <th>{t('site.col.lastBackup')}</th>
            </tr>
          </thead>
          <tbody>
            {report.backups.units.map((u) => (
              <tr key={u.unit} data-covered={u.covered}>
                <td>{u.unit}</td>
                <td className={u.covered ? '' : 'report__bad'}>
                  {u.covered ? t('site.covered') : t('site.notCovered', { days: report.backups.maxAgeDays })}
                </td>
                <td>{u.lastVerifiedBackupAt ? time(u.lastVerifiedBackupAt) : '—'}</td>
                <td>{u.lastBackupAt ? time(u.lastBackupAt) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel">
        <p>
          {t('site.procedures', {
            runs: p.runs,
            completed: p.completed,
            aborted: p.aborted,
            escalated: p.escalated,
            signed: p.signed,
          })}
        </p>
        <h3>{t('site.escalations')}</h3>
        {p.escalations.length === 0 ? <p className="muted">{t('site.noEscalations')}</p> : null}
        <ul>
          {p.escalations.map((e) => (
            <li key={e.runId}>
              <a href={routeHref({ page: 'report', runId: e.runId })}>{language === 'vi' ? e.titleVi : e.titleEn}</a> ·{' '}
              {e.units.join(', ')} · {e.escalationLevel ?? '?'} · {time(e.startedAt)}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function localDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
