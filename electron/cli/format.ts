import type { DiagnosisChanges } from '../../shared/domain/changes';
import type { CheckResult, DiagnosisReport, HealthLevel } from '../../shared/domain/health';
import type { LogbookLanguage } from '../../shared/domain/logbook';
import { formatMoment } from '../../shared/domain/said';
import type { Unit } from '../../shared/domain/unit';
import { checkMessage, say, sayIn, type WordKey } from '../../shared/domain/words';
import { terminalField } from '../../shared/util/terminalText';

const pad = (text: string, width: number): string =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);

export function formatLevel(level: HealthLevel | null): string {
  return pad(level ?? '-', 5);
}

export function formatUnits(units: readonly Unit[], language: LogbookLanguage = 'en'): string {
  const w = (key: WordKey) => sayIn(say(key), language);
  if (units.length === 0) {
    return w('cli.noUnits');
  }
  const rows = units.map((u) => [
    u.name,
    `${u.user}@${u.host}:${u.port}`,
    u.hostKey ? u.hostKey.fingerprint : w('cli.notTrusted'),
    u.lastLevel ?? w('cli.neverDiagnosed'),
    u.lastRunAt ? formatMoment(u.lastRunAt) : '',
  ]);
  return table(
    [w('cli.col.name'), w('cli.col.address'), w('cli.col.hostKey'), w('cli.col.lastLevel'), w('cli.col.lastDiagnosis')],
    rows,
  );
}

export function formatReport(report: DiagnosisReport, language: LogbookLanguage = 'en'): string {
  const head = say('cli.reportHead', {
    unit: report.unit,
    level: report.level,
    seconds: report.durationMs / 1000,
    at: { at: report.startedAt },
  });
  const lines = [sayIn(head, language)];
  const width = Math.max(...flatten(report.checks).map((c) => c.depth * 2 + c.check.id.length), 10);
  for (const { check, depth } of flatten(report.checks)) {
    const indent = '  '.repeat(depth + 1);
    const id = terminalField(check.id);
    const message = terminalField(checkMessage(check, language));
    lines.push(`${indent}${formatLevel(check.level)}  ${pad(id, width - depth * 2)}  ${message}`);
    if (check.runbook && (check.level === 'WARN' || check.level === 'ERROR')) {
      const runbook = sayIn(say('cli.runbook', { section: terminalField(check.runbook) }), language);
      lines.push(`${indent}${' '.repeat(7 + width - depth * 2)}  ${runbook}`);
    }
  }
  return lines.join('\n');
}

/** "Since the previous sweep (…):" and one line per change; empty when nothing changed or there is nothing before. */
export function formatChanges(
  changes: DiagnosisChanges,
  previousAt?: string,
  language: LogbookLanguage = 'en',
): string {
  if (changes.changes.length === 0) {
    return '';
  }
  const when = previousAt ? ` (${formatMoment(previousAt)})` : '';
  return [
    sayIn(say('cli.sincePrevious', { when }), language),
    ...changes.changes.map((c) => `  - ${terminalField(c.text)}`),
  ].join('\n');
}

/** How many change lines `ohtw history` prints under one run before it says how many more there are. */
export const HISTORY_CHANGE_LINES = 3;

function flatten(checks: readonly CheckResult[], depth = 0): { check: CheckResult; depth: number }[] {
  return checks.flatMap((check) => [{ check, depth }, ...flatten(check.children ?? [], depth + 1)]);
}

/** A table of fields: each cell on one line whatever it holds (a vehicle's newline would forge a row). */
export function table(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map(terminalField));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
