import type { Said } from '../../../../shared/domain/said';
import { said, say } from '../../../../shared/domain/words';
import type { CheckResult } from '../../../../shared/domain/health';
import type { VehicleProfile } from '../../../../shared/domain/unit';
import type { ProbeOutput } from '../../transport/batch';
import { raw, sh, type ShellText } from '../../transport/shell';
import { evidenceOf, type CheckModule, type SweepContext } from '../checkModule';
import { RUNBOOK } from '../runbook';

/**
 * data.database: the backend's SQLite database (<installDir>/backend/oht50.db) is there and intact.
 *
 * One probe, read-only throughout: `true <FILE` lets the shell say whether the file exists and is readable;
 * `sqlite3 -readonly` runs PRAGMA quick_check; when sqlite3 fails or is missing (it is not part of the vehicle
 * image, Python is), python3's sqlite3 module opens the file with mode=ro and runs the same check. Python is handed
 * sqlite3's exit status and prints it first, so the two answers can be told apart.
 *
 * On a vehicle the backend folder is `750 oht:oht`, so the login user usually cannot even see the file: the check
 * then runs again through `sudo -n` (marked in the answer), as the backup does. SQLite run as root hands any -wal or
 * -shm file it creates to the database's owner, so the backend can still open its database afterwards.
 */

const ID = 'data.database';
const KEY = 'database.check';
/** quick_check stops after this many problems: enough to show, short enough to keep. */
const MAX_PROBLEMS = 20;
const PRAGMA = `PRAGMA quick_check(${MAX_PROBLEMS})`;
export const PYTHON_MARKER = '@@ohtw-db python3 after sqlite3 exit';
/** Printed first by the check when it runs through sudo -n, because the login user could not read the file. */
export const ROOT_MARKER = '@@ohtw-db read through sudo -n';

/** No single quotes inside: the whole program is one single-quoted shell word. */
const PYTHON_CHECK = [
  'import sys, sqlite3, urllib.parse as u',
  `print("${PYTHON_MARKER}", sys.argv[2])`,
  'c = sqlite3.connect("file:" + u.quote(sys.argv[1]) + "?mode=ro", uri=True, timeout=1)',
  `print("\\n".join(str(r[0]) for r in c.execute("${PRAGMA}")))`,
].join('\n');

export const databasePath = (profile: VehicleProfile): string =>
  `${profile.installDir.replace(/\/+$/, '')}/backend/oht50.db`;

/** The check itself: sqlite3, or python3 when sqlite3 fails or is missing. */
function checkScript(file: string): ShellText {
  return sh`true <${file} && sqlite3 -readonly -cmd '.timeout 1000' ${file} ${PRAGMA} || python3 -c ${PYTHON_CHECK} ${file} "$?"`;
}

/**
 * As the login user when it can read the file, else through `sudo -n`. Only simple command lists (`sh -c` groups):
 * the probe must run on any sh, the simulator's included.
 */
export function databaseCommand(profile: VehicleProfile): ShellText {
  const file = databasePath(profile);
  const check = checkScript(file);
  const asRoot = sh`echo ${ROOT_MARKER}; ${raw(check)}`;
  // `2>` before `<`: the shell says nothing when it cannot open the file for the readability test.
  return sh`true 2>/dev/null <${file} && sh -c ${check}; true 2>/dev/null <${file} || sudo -n sh -c ${asRoot}`;
}

export type DatabaseVerdict =
  | { kind: 'ok'; tool: 'sqlite3' | 'python3' }
  | { kind: 'missing' }
  | { kind: 'corrupt'; tool: 'sqlite3' | 'python3'; problems: string[] }
  | { kind: 'unknown'; reason: Said };

const NOT_FOUND = (tool: string): RegExp => new RegExp(`(^|: )${tool}: (command )?not found$`);
const CORRUPT =
  /malformed|not a database|encrypted|disk I\/O error|corrupt|btreeInitPage|never used|out of (range|order)|\*\*\* in database/i;
/** How PRAGMA quick_check words what it finds (sqlite3's btree and index checks). */
const QUICK_CHECK_ROW =
  /^\*\*\* in database |^(Page \d+|On (tree )?page \d+|Freelist|Tree \d+ page|row \d+ missing from index|wrong # of entries in index|non-unique entry in index|NULL value in|CHECK constraint failed|Multiple uses for byte|Fragmentation of)|never used|out of (range|order)|malformed|corrupt/i;
const BUSY = /database is locked|database is busy|\bSQLITE_BUSY\b/i;

/** What one tool said: the rows of quick_check, or the error it stopped with. */
function toolVerdict(lines: readonly string[], tool: 'sqlite3' | 'python3'): DatabaseVerdict | null {
  const errors = lines.filter((l) => /^Error:|^[\w.]*(Error|Exception): /.test(l));
  const rows = lines.filter(
    (l) => !errors.includes(l) && !/^Traceback \(most recent call last\)|^\s+(File |\^|[A-Za-z_])/.test(l),
  );
  if (errors.length === 0 && rows.length === 1 && rows[0] === 'ok') {
    return { kind: 'ok', tool };
  }
  const error = errors[0];
  if (error !== undefined) {
    if (BUSY.test(error)) {
      return { kind: 'unknown', reason: say('db.locked', { error: { raw: error } }) };
    }
    if (CORRUPT.test(error)) {
      const said = error.replace(/^Error: (in prepare, |stepping, )?/, '').replace(/^[\w.]*Error: /, '');
      return { kind: 'corrupt', tool, problems: [said, ...rows.filter((r) => r !== '*** in database main ***')] };
    }
    if (/unable to open database/i.test(error)) {
      return { kind: 'unknown', reason: say('db.cannotOpen', { tool, error: { raw: error } }) };
    }
    return { kind: 'unknown', reason: say('db.toolSaid', { tool, error: { raw: error } }) };
  }
  // Only rows that read like quick_check's findings are a verdict; anything else (a crash message) is not.
  if (rows.some((r) => QUICK_CHECK_ROW.test(r))) {
    return { kind: 'corrupt', tool, problems: rows.filter((r) => r !== '*** in database main ***') };
  }
  return null;
}

const SUDO_REFUSED = /^sudo: (a password is required|a terminal is required)/;

function answerLines(output: ProbeOutput): string[] {
  return output.stdout
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.trim() !== '');
}

/** Whether the check ran through sudo -n because the login user could not read the file. */
export function readThroughSudo(output: ProbeOutput | undefined): boolean {
  return output !== undefined && answerLines(output).includes(ROOT_MARKER);
}

/** Reads the probe's answer (see databaseCommand); never throws. */
export function readDatabaseCheck(output: ProbeOutput | undefined, path: string): DatabaseVerdict {
  if (!output) {
    return { kind: 'unknown', reason: say('probe.noAnswer') };
  }
  if (output.truncated) {
    return { kind: 'unknown', reason: say('probe.cutOff') };
  }
  if (output.exitCode === 124) {
    return { kind: 'unknown', reason: say('db.timedOut') };
  }
  // What came through sudo is the answer; anything before the marker was the login user's attempt.
  const all = answerLines(output);
  const lines = all.slice(all.indexOf(ROOT_MARKER) + 1);
  if (lines.some((l) => SUDO_REFUSED.test(l))) {
    return {
      kind: 'unknown',
      reason: say('db.sudoPassword', { path }),
    };
  }
  const cannotOpen = lines.find((l) => l.includes(`cannot open ${path}`));
  if (cannotOpen !== undefined) {
    return /No such file/.test(cannotOpen)
      ? { kind: 'missing' }
      : { kind: 'unknown', reason: say('db.cannotRead', { path, detail: { raw: cannotOpen.replace(/^.*: /, '') } }) };
  }
  const marker = lines.findIndex((l) => l.startsWith(PYTHON_MARKER));
  const sqliteLines = (marker < 0 ? lines : lines.slice(0, marker)).filter((l) => !NOT_FOUND('python3').test(l));
  const pythonLines = marker < 0 ? [] : lines.slice(marker + 1);
  const sqliteMissing = sqliteLines.some((l) => NOT_FOUND('sqlite3').test(l));
  const pythonMissing = lines.some((l) => NOT_FOUND('python3').test(l));
  if (!sqliteMissing) {
    const verdict = toolVerdict(sqliteLines, 'sqlite3');
    if (verdict) {
      return verdict;
    }
  }
  if (marker >= 0) {
    const verdict = toolVerdict(pythonLines, 'python3');
    if (verdict) {
      return verdict;
    }
  }
  if (sqliteMissing && pythonMissing) {
    return {
      kind: 'unknown',
      reason: say('db.noTools'),
    };
  }
  return { kind: 'unknown', reason: say('db.didNotParse', { line: { raw: (lines[0] ?? '(nothing)').slice(0, 80) } }) };
}

/** `note`: said where it matters, that the file was read through sudo -n because only root could read it. */
export function judgeDatabase(
  verdict: DatabaseVerdict,
  path: string,
  note: Said | '' = '',
): Omit<CheckResult, 'id' | 'evidence'> {
  switch (verdict.kind) {
    case 'ok':
      return { level: 'OK', ...said('db.ok', { path, tool: verdict.tool, note }) };
    case 'missing':
      return { level: 'ERROR', ...said('db.missing', { path, note }), runbook: RUNBOOK.database };
    case 'corrupt': {
      const [first, ...rest] = verdict.problems;
      const more = rest.length > 0 ? say('db.more', { count: rest.length }) : '';
      return {
        level: 'ERROR',
        ...said('db.corrupt', { path, first: first === undefined ? say('db.notOk') : { raw: first }, more, note }),
        runbook: RUNBOOK.database,
      };
    }
    case 'unknown':
      return { level: 'STALE', ...said('db.stale', { reason: verdict.reason, note }) };
  }
}

function judge(context: SweepContext, outputs: ReadonlyMap<string, ProbeOutput>): CheckResult[] {
  const profile = context.unit.profile;
  const path = databasePath(profile);
  const output = outputs.get(KEY);
  const evidence = evidenceOf({ key: KEY, command: databaseCommand(profile) }, output);
  const verdict = readDatabaseCheck(output, path);
  const note =
    readThroughSudo(output) && (verdict.kind === 'ok' || verdict.kind === 'corrupt') ? say('db.viaSudo') : '';
  return [{ id: ID, evidence, ...judgeDatabase(verdict, path, note) }];
}

export const databaseModule: CheckModule = {
  name: 'database',
  checkIds: [ID],
  probes: ({ unit }) => [{ key: KEY, command: databaseCommand(unit.profile), timeoutS: 5 }],
  judge,
};
