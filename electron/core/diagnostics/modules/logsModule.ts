import type { CheckResult } from '../../../../shared/domain/health';
import type { Said } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import { levelFor } from '../../../../shared/domain/thresholds';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { Probe, ProbeOutput } from '../../transport/batch';
import { raw, sh, type ShellText } from '../../transport/shell';
import { unusable, type CheckModule, type SweepContext } from '../checkModule';
import { NEWER_FIRMWARE_SERVICE, RUNBOOK_FIRMWARE_SERVICE } from '../profileDetection';
import { RUNBOOK } from '../runbook';
import {
  formatEntry,
  isConfigError,
  isErrorText,
  isWarningText,
  journalProblems,
  lacksJournalPermission,
  namesTheCause,
  parseJournalJson,
  type JournalAnswer,
  type JournalEntry,
} from './logsJournal';

/**
 * logs.backend and logs.firmware: errors and warnings in each service's journal over the log window.
 *
 * Two queries per service. By priority (`-p warning`: warning and worse) finds what systemd and well-behaved
 * programs log as such. By text (`--grep`) finds the errors a service prints on stdout or stderr, which journald
 * stores at priority info whatever they say: a Python exception, a pydantic ValidationError from a bad .env, a YAML
 * error, a firmware "[ERROR]" line. Entries found by both are counted once (by cursor).
 *
 * The journal of other users and the system is only visible to root and the adm/systemd-journal groups, so each
 * query first tries `sudo -n` and falls back to the login user (see lacksJournalPermission for reading the result).
 */

const ROLES = ['backend', 'firmware'] as const;
type Role = (typeof ROLES)[number];

/** Entries read per query: enough to count past the critical threshold, small enough to send over a slow link. */
export const PRIORITY_LIMIT = 200;
export const TEXT_LIMIT = 50;
/** Entries shown in the evidence per query. */
const SHOWN = 20;
const TEXT_PATTERN = 'error|exception|fatal|critical|panic|dumped';
const FIELDS = 'PRIORITY,MESSAGE,SYSLOG_IDENTIFIER,_PID';

const checkId = (role: Role): string => `logs.${role}`;
const priorityKey = (role: Role): string => `logs.${role}.priority`;
const textKey = (role: Role): string => `logs.${role}.text`;

/**
 * The units to read: the profile's, and before detection both firmware unit names (the journal of a unit that does
 * not exist is just empty).
 */
function unitsOf(profile: VehicleProfile, role: Role): string[] {
  if (role === 'backend') {
    return [profile.backendService];
  }
  if (profile.detected || profile.variant === 'custom') {
    return [profile.firmwareService];
  }
  return [...new Set([profile.firmwareService, RUNBOOK_FIRMWARE_SERVICE, NEWER_FIRMWARE_SERVICE])];
}

function journalCommand(units: readonly string[], windowMin: number, query: 'priority' | 'text'): ShellText {
  const filter =
    query === 'priority' ? ['-p', 'warning', '-n', PRIORITY_LIMIT] : [`--grep=${TEXT_PATTERN}`, '-n', TEXT_LIMIT];
  const args = sh`${units.flatMap((u) => ['-u', u])} --since=-${windowMin}min ${filter} -o json --output-fields=${FIELDS} --no-pager`;
  return sh`sudo -n journalctl ${raw(args)} || journalctl ${raw(args)}`;
}

export function logsProbes(profile: VehicleProfile, windowMin: number): Probe[] {
  return ROLES.flatMap((role) => {
    const units = unitsOf(profile, role);
    return [
      { key: priorityKey(role), command: journalCommand(units, windowMin, 'priority'), timeoutS: 4 },
      { key: textKey(role), command: journalCommand(units, windowMin, 'text'), timeoutS: 4 },
    ];
  });
}

type Read = { ok: true; answer: JournalAnswer } | { ok: false; reason: Said };

function readAnswer(output: ProbeOutput | undefined): Read {
  const problem = unusable(output);
  if (problem !== null || !output) {
    return { ok: false, reason: problem ?? say('probe.noAnswer') };
  }
  const answer = parseJournalJson(output.stdout);
  if (lacksJournalPermission(answer)) {
    return { ok: false, reason: say('logs.noPermission') };
  }
  // The exit status alone says little: `--grep` exits 1 when nothing matched. journalctl's errors come as text.
  const problems = journalProblems(answer);
  if (answer.entries.length === 0 && (problems.length > 0 || answer.badLines > 0)) {
    const detail = problems[0] === undefined ? say('logs.mangled') : { raw: problems[0] };
    return { ok: false, reason: say('logs.noEntries', { detail }) };
  }
  return { ok: true, answer };
}

function evidenceBlock(command: string, output: ProbeOutput | undefined, read: Read): string {
  const status = !output ? '(no answer)' : output.truncated ? '(cut off)' : `(exit ${output.exitCode ?? '?'})`;
  if (!read.ok || !output) {
    return `$ ${command}\n${output?.stdout ?? ''}\n${status}`;
  }
  const { entries, otherLines, badLines } = read.answer;
  const shown = entries.slice(-SHOWN);
  const lines = [
    `$ ${command}`,
    ...otherLines,
    ...(entries.length > shown.length ? [`… ${entries.length - shown.length} earlier entries not shown`] : []),
    ...shown.map(formatEntry),
    ...(entries.length === 0 ? ['(no entries)'] : []),
    ...(badLines > 0 ? [`(${badLines} lines did not parse)`] : []),
    status,
  ];
  return lines.join('\n');
}

function clip(text: string, max = 200): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function judgeRole(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>, role: Role): CheckResult {
  const id = checkId(role);
  const asked = unitsOf(context.unit.profile, role);
  const window = context.thresholds.logWindowMin;
  const service = role === 'backend' ? context.profile.backendService : context.profile.firmwareService;
  const byPriority = outputs.get(priorityKey(role));
  const byText = outputs.get(textKey(role));
  const priorityRead = readAnswer(byPriority);
  const textRead = readAnswer(byText);
  const evidence = [
    evidenceBlock(journalCommand(asked, window, 'priority'), byPriority, priorityRead),
    evidenceBlock(journalCommand(asked, window, 'text'), byText, textRead),
  ].join('\n\n');
  if (!priorityRead.ok) {
    return {
      id,
      level: 'STALE',
      ...said('logs.unreadable', { service, reason: priorityRead.reason }),
      evidence,
    };
  }

  const seen = new Map<string, JournalEntry>();
  for (const entry of [...priorityRead.answer.entries, ...(textRead.ok ? textRead.answer.entries : [])]) {
    seen.set(entry.cursor, entry);
  }
  const all = [...seen.values()].sort((a, b) => (a.atMs || 0) - (b.atMs || 0));
  const errors = all.filter((e) => e.priority <= 3 || isErrorText(e.message));
  const warnings = all.filter((e) => !errors.includes(e) && (e.priority === 4 || isWarningText(e.message)));
  const capped =
    priorityRead.answer.entries.length >= PRIORITY_LIMIT ||
    (textRead.ok && textRead.answer.entries.length >= TEXT_LIMIT);
  const level = levelFor(errors.length, context.thresholds.logErrors);
  const textNote = textRead.ok ? '' : say('logs.textNotSearched', { reason: textRead.reason });
  // "200+ errors": the query's limit was reached, so there were at least that many.
  const count = (n: number): number | string => (capped ? `${n}+` : n);
  const counted =
    errors.length === 0 && warnings.length === 0
      ? say('logs.quiet', { window })
      : say('logs.counted', { errors: count(errors.length), warnings: count(warnings.length), window });

  if (level === 'OK') {
    return { id, level, ...said('logs.summary', { service, counted, detail: '', textNote }), evidence };
  }
  const configErrors = errors.filter((e) => isConfigError(e.message)).reverse();
  const configError = configErrors.find((e) => namesTheCause(e.message)) ?? configErrors[0];
  const last = errors[errors.length - 1];
  const detail = configError
    ? say('logs.configError', { line: { raw: clip(configError.message) } })
    : last
      ? say('logs.lastError', { line: { raw: clip(last.message) } })
      : '';
  return {
    id,
    level,
    ...said('logs.summary', { service, counted, detail, textNote }),
    evidence,
    runbook: configError ? RUNBOOK.serviceWontStart : RUNBOOK.alertActions,
  };
}

export const logsModule: CheckModule = {
  name: 'logs',
  checkIds: ROLES.map(checkId),
  probes: ({ unit, thresholds }) => logsProbes(unit.profile, thresholds.logWindowMin),
  judge: (context, outputs) => ROLES.map((role) => judgeRole(context, outputs, role)),
};
