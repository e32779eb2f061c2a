import type { CheckChange } from '../../../shared/domain/changes';
import type { CheckResult, DiagnosisReport } from '../../../shared/domain/health';
import type { HistoryRepository } from '../history/HistoryRepository';
import { flattenChecks } from '../history/checkTree';
import { counterGrowth, metricKind, metricLabel } from './changesMetrics';
import type { ChangeWords } from './changesCompare';

export const DAY_MS = 24 * 3600_000;

/** At most this many runs are read back for the day's view; a unit swept more often than that is summed over them. */
export const MAX_WINDOW_RUNS = 200;

/** A unit's runs of the day before a given run, oldest first, the run itself last. */
export type RunWindow = {
  runs: DiagnosisReport[];
  /** The walk stopped at MAX_WINDOW_RUNS before it reached the start of the day. */
  isCut: boolean;
};

/** Walks back from `current` through the unit's runs that started within 24 h before it. */
export function dayBefore(history: HistoryRepository, current: DiagnosisReport): RunWindow {
  const startMs = Date.parse(current.startedAt) - DAY_MS;
  const runs = [current];
  let isCut = false;
  for (;;) {
    const oldest = runs[runs.length - 1] as DiagnosisReport;
    const earlier = history.previousDiagnosis(current.unit, oldest.runId);
    if (!earlier || Date.parse(earlier.startedAt) < startMs) {
      break;
    }
    if (runs.length >= MAX_WINDOW_RUNS) {
      isCut = true;
      break;
    }
    runs.push(earlier);
  }
  return { runs: runs.reverse(), isCut };
}

/**
 * How much each counter (restarts) grew over the window, summed run to run so that a reset in between is counted
 * right. Only told when it says more than the line about the previous sweep: the window reaches further back, and
 * the counter grew more over the day than in that last step.
 */
export function windowChanges(window: RunWindow, words: ChangeWords): CheckChange[] {
  const { runs } = window;
  const current = runs[runs.length - 1];
  if (!current || runs.length < 3) {
    return [];
  }
  const previousRunId = runs.at(-2)?.runId;
  const out: CheckChange[] = [];
  for (const { check } of flattenChecks(current.checks)) {
    for (const name of Object.keys(check.metrics ?? {})) {
      const kind = metricKind(name);
      if (kind.type !== 'counter') {
        continue;
      }
      const { total, firstRunId, sweeps } = growthOver(runs, check.id, name);
      const lastStep = growthOver(runs.slice(-2), check.id, name);
      // Nothing to add when the day's count is the last sweep's own (or nothing at all).
      if (total === 0 || firstRunId === previousRunId || firstRunId === current.runId || total === lastStep.total) {
        continue;
      }
      const label = kind.wordsNameIt ? words.subject(check.id) : metricLabel(words.subject(check.id), name);
      const span = window.isCut ? `over the last ${sweeps} sweeps` : `in the last 24 h (${sweeps} sweeps)`;
      out.push({ checkId: check.id, from: check.level, to: check.level, text: `${label} ${kind.grew(total)} ${span}` });
    }
  }
  return out;
}

/** The growth of one counter across the runs that read it, and the first of those runs. */
function growthOver(
  runs: readonly DiagnosisReport[],
  checkId: string,
  name: string,
): { total: number; firstRunId: string | null; sweeps: number } {
  let last: number | undefined;
  let total = 0;
  let firstRunId: string | null = null;
  let sweeps = 0;
  for (const run of runs) {
    const value = find(run.checks, checkId)?.metrics?.[name];
    if (value === undefined) {
      continue;
    }
    sweeps += 1;
    if (last === undefined) {
      firstRunId = run.runId;
    } else {
      total += counterGrowth(last, value).growth;
    }
    last = value;
  }
  return { total, firstRunId, sweeps };
}

function find(checks: readonly CheckResult[], id: string): CheckResult | undefined {
  return flattenChecks(checks).find((placed) => placed.check.id === id)?.check;
}
