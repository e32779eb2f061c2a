import type { DiagnosisChanges } from '../../shared/domain/changes';
import type { CheckResult, DiagnosisReport, HealthLevel } from '../../shared/domain/health';
import type { Unit } from '../../shared/domain/unit';
import { terminalField } from '../../shared/util/terminalText';

const pad = (text: string, width: number): string =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);

export function formatLevel(level: HealthLevel | null): string {
  return pad(level ?? '-', 5);
}

export function formatUnits(units: readonly Unit[]): string {
  if (units.length === 0) {
    return 'No units yet. Add one: ohtw units add NAME --host HOST --user USER --key FILE';
  }
  const rows = units.map((u) => [
    u.name,
    `${u.user}@${u.host}:${u.port}`,
    u.hostKey ? u.hostKey.fingerprint : 'not trusted',
    u.lastLevel ?? 'never diagnosed',
    u.lastRunAt ?? '',
  ]);
  return table(['NAME', 'ADDRESS', 'HOST KEY', 'LAST LEVEL', 'LAST DIAGNOSIS'], rows);
}

export function formatReport(report: DiagnosisReport): string {
  const lines = [`${report.unit}  ${report.level}  (${(report.durationMs / 1000).toFixed(2)} s, ${report.startedAt})`];
  const width = Math.max(...flatten(report.checks).map((c) => c.depth * 2 + c.check.id.length), 10);
  for (const { check, depth } of flatten(report.checks)) {
    const indent = '  '.repeat(depth + 1);
    const id = terminalField(check.id);
    lines.push(`${indent}${formatLevel(check.level)}  ${pad(id, width - depth * 2)}  ${terminalField(check.message)}`);
    if (check.runbook && (check.level === 'WARN' || check.level === 'ERROR')) {
      lines.push(`${indent}${' '.repeat(7 + width - depth * 2)}  → runbook: ${terminalField(check.runbook)}`);
    }
  }
  return lines.join('\n');
}

/** "Since the previous sweep (…):" and one line per change; empty when nothing changed or there is nothing before. */
export function formatChanges(changes: DiagnosisChanges, previousAt?: string): string {
  if (changes.changes.length === 0) {
    return '';
  }
  const when = previousAt ? ` (${previousAt})` : '';
  return [`Since the previous sweep${when}:`, ...changes.changes.map((c) => `  - ${terminalField(c.text)}`)].join('\n');
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
