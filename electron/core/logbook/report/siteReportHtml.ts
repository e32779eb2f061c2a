import type { SiteReport } from '../../../../shared/domain/fleetReports';
import type { LogbookLanguage } from '../../../../shared/domain/logbook';
import { esc } from '../../util/reportText';
import { chartBlock, type DrawnChart, reportPage, table, when } from './reportPage';
import { reportWords } from './reportWords';

/** The site report as a printable page; `charts` are the drawn siteCharts, in their order. */
export function siteReportHtml(
  report: SiteReport,
  language: LogbookLanguage,
  charts: readonly DrawnChart[],
  appVersion: string,
): string {
  const say = reportWords(language);
  const t = (iso: string | null) => when(iso, language);
  const [health, incidentsChart] = charts;
  const incidents = table(
    [say('unit'), say('estop'), say('crashes'), say('otherErrors'), say('mtbf')],
    report.incidents.map((i) => [
      esc(i.unit),
      String(i.estop),
      String(i.crashes),
      String(i.otherErrors),
      i.mtbfHours === null ? '—' : esc(say('hours', { hours: i.mtbfHours })),
    ]),
    say('noIncidents'),
  );
  const coverage = table(
    [say('unit'), say('covered'), say('lastVerified'), say('lastBackup')],
    report.backups.units.map((u) => [
      esc(u.unit),
      u.covered ? `<span class="good">${esc(say('yes'))}</span>` : `<span class="bad">${esc(say('no'))}</span>`,
      t(u.lastVerifiedBackupAt),
      t(u.lastBackupAt),
    ]),
    '',
  );
  const p = report.procedures;
  const procedures = `<p>${esc(say('proceduresSummary', { runs: p.runs, completed: p.completed, aborted: p.aborted, escalated: p.escalated, signed: p.signed }))}</p>${table(
    [say('procedure'), say('runs')],
    p.byProcedure.map((b) => [
      `${esc(language === 'vi' ? b.titleVi : b.titleEn)} <span class="meta">${esc(b.procedureId)}</span>`,
      String(b.runs),
    ]),
    say('noProcedures'),
  )}<h3>${esc(say('escalations'))}</h3>${table(
    [say('procedure'), say('unit'), say('level'), say('started')],
    p.escalations.map((e) => [
      esc(language === 'vi' ? e.titleVi : e.titleEn),
      esc(e.units.join(', ')),
      String(e.escalationLevel ?? '?'),
      `${t(e.startedAt)} · ${esc(e.startedBy)}`,
    ]),
    say('noEscalations'),
  )}`;
  const body = [
    `<p class="meta">${esc(say('units', { units: report.units.join(', ') }))}</p>`,
    `<section><h2>${esc(say('fleetHealth'))}</h2>${health ? chartBlock(health.title, health.markup) : ''}</section>`,
    `<section><h2>${esc(say('incidents'))}</h2>${incidentsChart ? chartBlock(incidentsChart.title, incidentsChart.markup) : ''}${incidents}</section>`,
    `<section><h2>${esc(say('coverage', { days: report.backups.maxAgeDays }))}</h2>${coverage}</section>`,
    `<section><h2>${esc(say('procedures'))}</h2>${procedures}</section>`,
  ].join('\n');
  return reportPage({
    language,
    title: say('siteTitle', { since: when(report.since, language, false), until: when(report.until, language, false) }),
    body,
    footer: say('footer', { version: appVersion, at: t(report.generatedAt) }),
  });
}

/** The site report as CSV rows: one row per unit with its incidents and backup coverage, then the days' health. */
export function siteReportCsv(report: SiteReport): string[][] {
  const rows: string[][] = [
    [
      'unit',
      'estop',
      'firmware_crashes',
      'other_errors',
      'mtbf_hours',
      'backup_covered',
      'last_verified_backup',
      'last_backup',
    ],
  ];
  for (const unit of report.units) {
    const i = report.incidents.find((x) => x.unit === unit);
    const b = report.backups.units.find((x) => x.unit === unit);
    rows.push([
      unit,
      String(i?.estop ?? 0),
      String(i?.crashes ?? 0),
      String(i?.otherErrors ?? 0),
      i?.mtbfHours === null || i?.mtbfHours === undefined ? '' : String(i.mtbfHours),
      b?.covered ? 'yes' : 'no',
      b?.lastVerifiedBackupAt ?? '',
      b?.lastBackupAt ?? '',
    ]);
  }
  rows.push([]);
  rows.push(['day', 'share_ok', 'share_warn', 'share_error', 'share_stale']);
  for (const day of report.health) {
    rows.push([day.day, day.OK.toFixed(3), day.WARN.toFixed(3), day.ERROR.toFixed(3), day.STALE.toFixed(3)]);
  }
  return rows;
}
