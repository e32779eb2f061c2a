import type { CheckChange } from '../../../shared/domain/changes';
import { rollUp, judgedLevel, type CheckResult, type DiagnosisReport } from '../../../shared/domain/health';
import { flattenChecks } from '../history/checkTree';
import { counterGrowth, formatReading, isNews, metricKind, metricLabel, type CounterKind } from './changesMetrics';
import { messageNumberChanges } from './changesMessageNumbers';

/** What the sentences need to know beyond the two reports. */
export type ChangeWords = {
  /** How a check is named in a sentence: "disk" for resources.disk, the service's name for services.backend. */
  subject: (checkId: string) => string;
  /** How long before the later run the earlier one was, e.g. "2 h". */
  gap: string;
};

type Placed = { check: CheckResult; parentId: string | null };

const MAX_MESSAGE = 160;

/** The check that an unreachable unit's report starts with (see DiagnosticsService). */
export const CONNECTION_CHECK = 'connection';

/**
 * Everything that changed from `before` to `after`, in the order of `after`'s health tree: level changes (children
 * included) and readings that moved, then checks that appeared or disappeared. Several children that came or went
 * under one group are told in one line under that group ("no longer reported under rs485.modules: power, dock").
 */
export function compareReports(before: DiagnosisReport, after: DiagnosisReport, words: ChangeWords): CheckChange[] {
  const old = index(before.checks);
  const now = index(after.checks);
  const unreachable = isUnreachable(after);
  const out: CheckChange[] = [];
  const came = new Bucket();
  const went = new Bucket();

  for (const [id, { check, parentId }] of now) {
    const was = old.get(id);
    if (!was) {
      // A new group brings its children with it: naming the group says it all.
      if (parentId === null || old.has(parentId)) {
        came.add(parentId, check);
      }
      continue;
    }
    // Nothing was checked on a unit that could not be reached: its one connection line says so.
    if (unreachable) {
      continue;
    }
    out.push(...checkChanges(was.check, check, words));
  }
  if (!unreachable) {
    for (const [id, { check, parentId }] of old) {
      if (!now.has(id) && (parentId === null || now.has(parentId))) {
        went.add(parentId, check);
      }
    }
  }
  const groupLevels = (parentId: string) => ({
    from: old.get(parentId)?.check.level ?? null,
    to: now.get(parentId)?.check.level ?? null,
  });
  const extra = [
    ...came.changes(appeared, (parentId, checks) => ({
      checkId: parentId,
      ...groupLevels(parentId),
      text: `new under ${parentId}: ${listChecks(parentId, checks)}`,
    })),
    ...went.changes(disappeared, (parentId, checks) => ({
      checkId: parentId,
      ...groupLevels(parentId),
      text: `no longer reported under ${parentId}: ${listChecks(parentId, checks, 'were')}`,
    })),
  ];
  for (const change of extra) {
    insertAfterOwnLines(out, change);
  }
  return out;
}

/** Checks that came (or went) by the group they sit in; top-level ones each on their own. */
class Bucket {
  private readonly top: CheckResult[] = [];
  private readonly byParent = new Map<string, CheckResult[]>();

  add(parentId: string | null, check: CheckResult): void {
    if (parentId === null) {
      this.top.push(check);
    } else {
      this.byParent.set(parentId, [...(this.byParent.get(parentId) ?? []), check]);
    }
  }

  changes(
    one: (check: CheckResult) => CheckChange,
    several: (parentId: string, checks: CheckResult[]) => CheckChange,
  ): CheckChange[] {
    const grouped = [...this.byParent].map(([parentId, checks]) =>
      checks.length === 1 ? one(checks[0] as CheckResult) : several(parentId, checks),
    );
    return [...grouped, ...this.top.map(one)];
  }
}

/** "power, dock (all OK)" or "power (OK), dock (WARN)": names relative to the group, levels as few times as needed. */
function listChecks(parentId: string, checks: readonly CheckResult[], verb = ''): string {
  const name = (check: CheckResult): string =>
    check.id.startsWith(`${parentId}.`) ? check.id.slice(parentId.length + 1) : check.id;
  const levels = new Set(checks.map((c) => c.level));
  const first = checks[0];
  if (levels.size === 1 && first) {
    return `${checks.map(name).join(', ')} (all ${verb ? `${verb} ` : ''}${first.level})`;
  }
  return checks.map((c) => `${name(c)} (${c.level})`).join(', ');
}

/** Puts a line after the lines of its own check, else after those of the group it belongs to, else at the end. */
function insertAfterOwnLines(out: CheckChange[], change: CheckChange): void {
  const own = out.findLastIndex((c) => c.checkId === change.checkId);
  const group = own >= 0 ? own : out.findLastIndex((c) => change.checkId.startsWith(`${c.checkId}.`));
  out.splice(group >= 0 ? group + 1 : out.length, 0, change);
}

/** The level change of one check present in both runs, then its readings that moved. */
function checkChanges(was: CheckResult, is: CheckResult, words: ChangeWords): CheckChange[] {
  const levelChanged = was.level !== is.level;
  const change = (text: string): CheckChange => ({ checkId: is.id, from: was.level, to: is.level, text });
  const out: CheckChange[] = [];
  if (levelChanged && !(summarisesChildren(was) && summarisesChildren(is))) {
    out.push(change(`${is.id} ${was.level} → ${is.level}: ${firstLine(is.message)}`));
  }
  const subject = words.subject(is.id);
  if (was.metrics === undefined && is.metrics === undefined) {
    // A group whose children carry readings summarises them in its message: they are told by the children.
    if (metricsBelow(is) || metricsBelow(was)) {
      return out;
    }
    const moved = messageNumberChanges(was.message, is.message, levelChanged, subject);
    if (moved.length > 0) {
      out.push(change(`${subject} ${moved.join(', ')}`));
    }
    return out;
  }
  const before = was.metrics ?? {};
  for (const [name, value] of Object.entries(is.metrics ?? {})) {
    const previous = before[name];
    if (previous === undefined) {
      continue;
    }
    const kind = metricKind(name);
    if (kind.type === 'counter') {
      const label = kind.wordsNameIt ? subject : metricLabel(subject, name);
      const text = counterText(label, kind, previous, value, words.gap);
      if (text) {
        out.push(change(text));
      }
    } else if (isNews(kind, previous, value, levelChanged)) {
      out.push(
        change(`${metricLabel(subject, name)} ${formatReading(previous, kind)} → ${formatReading(value, kind)}`),
      );
    }
  }
  return out;
}

/** "oht50-backend restarted 3 times since the previous sweep (2 h earlier)", or null when the counter stood still. */
function counterText(label: string, kind: CounterKind, a: number, b: number, gap: string): string | null {
  const { growth, wasReset } = counterGrowth(a, b);
  if (wasReset) {
    const then = growth > 0 ? `, and ${kind.grew(growth)} after that` : '';
    return `${label} ${kind.reset} since the previous sweep (${gap} earlier; count ${a} → ${b})${then}`;
  }
  return growth > 0 ? `${label} ${kind.grew(growth)} since the previous sweep (${gap} earlier)` : null;
}

function appeared(check: CheckResult): CheckChange {
  const text =
    check.id === CONNECTION_CHECK && check.level === 'STALE'
      ? `the unit could not be reached: ${firstLine(check.message)}`
      : `${check.id} is new: ${check.level} — ${firstLine(check.message)}`;
  return { checkId: check.id, from: null, to: check.level, text };
}

function disappeared(check: CheckResult): CheckChange {
  const text =
    check.id === CONNECTION_CHECK && check.level === 'STALE'
      ? 'the unit answered again'
      : `${check.id} is no longer reported (was ${check.level})`;
  return { checkId: check.id, from: check.level, to: null, text };
}

/** A run in which the unit could not be reached: its connection check is STALE and nothing else was looked at. */
export function isUnreachable(report: DiagnosisReport): boolean {
  return report.checks.some((c) => c.id === CONNECTION_CHECK && c.level === 'STALE');
}

/** A group whose level is just the worst of its children's: its change is told by the child that changed. */
function summarisesChildren(check: CheckResult): boolean {
  const children = check.children ?? [];
  return children.length > 0 && check.level === judgedLevel(children.map((c) => rollUp(c).level));
}

function metricsBelow(check: CheckResult): boolean {
  return (check.children ?? []).some((child) => child.metrics !== undefined || metricsBelow(child));
}

/** Every check of a tree by id, depth-first (an id seen twice keeps its first place). */
function index(checks: readonly CheckResult[]): Map<string, Placed> {
  const out = new Map<string, Placed>();
  for (const { check, parentId } of flattenChecks(checks)) {
    if (!out.has(check.id)) {
      out.set(check.id, { check, parentId });
    }
  }
  return out;
}

function firstLine(text: string): string {
  const line = (text.split('\n', 1)[0] ?? '').trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line;
}
