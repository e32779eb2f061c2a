import type { SiteReport, UnitRecord } from './fleetReports';
import type { LogbookLanguage } from './logbook';

/*
 * The reports' charts as data: which series over which axis, in which colours and words. The page draws them with
 * recharts in the browser; the printable report draws the same specs with recharts in the core (to SVG), so the
 * PDF shows what the page shows.
 */

export type ChartSeries = { key: string; name: string; color: string };

export type ChartSpec = {
  id: string;
  title: string;
  type: 'stacked-area' | 'stacked-bar';
  xKey: string;
  data: Record<string, string | number>[];
  series: ChartSeries[];
  /** Values are shares (0–1), drawn as percentages. */
  percent: boolean;
};

export const LEVEL_COLORS = { OK: '#2e8b57', WARN: '#d4a017', ERROR: '#c0392b', STALE: '#7f8c8d' } as const;

const WORDS = {
  en: {
    health: 'Fleet health: share of units per level, per day',
    incidents: 'Incidents per unit',
    unitIncidents: 'Incidents per month',
    estop: 'E-Stop',
    crashes: 'Firmware crashes',
    otherErrors: 'Other new errors',
  },
  vi: {
    health: 'Sức khỏe đội xe: tỷ lệ xe theo mức, mỗi ngày',
    incidents: 'Sự cố theo xe',
    unitIncidents: 'Sự cố theo tháng',
    estop: 'Dừng khẩn cấp',
    crashes: 'Firmware bị sập',
    otherErrors: 'Lỗi mới khác',
  },
} as const;

export function siteCharts(report: SiteReport, language: LogbookLanguage): ChartSpec[] {
  const w = WORDS[language];
  return [
    {
      id: 'health',
      title: w.health,
      type: 'stacked-area',
      xKey: 'day',
      data: report.health.map((d) => ({ ...d })),
      series: (['OK', 'WARN', 'ERROR', 'STALE'] as const).map((level) => ({
        key: level,
        name: level,
        color: LEVEL_COLORS[level],
      })),
      percent: true,
    },
    {
      id: 'incidents',
      title: w.incidents,
      type: 'stacked-bar',
      xKey: 'unit',
      data: report.incidents.map((i) => ({
        unit: i.unit,
        estop: i.estop,
        crashes: i.crashes,
        otherErrors: i.otherErrors,
      })),
      series: [
        { key: 'estop', name: w.estop, color: '#c0392b' },
        { key: 'crashes', name: w.crashes, color: '#8e44ad' },
        { key: 'otherErrors', name: w.otherErrors, color: '#d35400' },
      ],
      percent: false,
    },
  ];
}

export function unitCharts(record: UnitRecord, language: LogbookLanguage): ChartSpec[] {
  const w = WORDS[language];
  if (record.incidents.months.length === 0) {
    return [];
  }
  return [
    {
      id: 'unit-incidents',
      title: w.unitIncidents,
      type: 'stacked-bar',
      xKey: 'month',
      data: record.incidents.months.map((m) => ({ ...m })),
      series: [
        { key: 'estop', name: w.estop, color: '#c0392b' },
        { key: 'crashes', name: w.crashes, color: '#8e44ad' },
      ],
      percent: false,
    },
  ];
}
