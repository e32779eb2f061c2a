import { AppError } from '../../../shared/errors/AppError';
import type { CheckChange, DiagnosisChanges } from '../../../shared/domain/changes';
import type { Unit } from '../../../shared/domain/unit';
import type { HistoryRepository } from '../history/HistoryRepository';
import { compareReports, type ChangeWords } from './changesCompare';
import { formatGap } from './changesMetrics';
import { dayBefore, windowChanges } from './changesWindow';

/**
 * What changed in a unit's sweep (the newest, or runId) against the one before it: level changes, checks that
 * appeared or disappeared, readings that moved, and, for a service that changed, how often it restarted over the
 * last 24 h.
 * Works for a unit that was removed but still has runs; a name with neither is NOT_FOUND.
 */
export function diagnosisChanges(history: HistoryRepository, unit: string, runId?: string): DiagnosisChanges {
  const known = history.getUnit(unit);
  const current = runId === undefined ? history.listDiagnoses(unit, 1)[0] : history.getDiagnosis(runId);
  if (runId !== undefined && current?.unit !== unit) {
    throw new AppError('NOT_FOUND', `diagnosis ${runId} of unit ${unit} not found`, { details: { unit, runId } });
  }
  if (!current) {
    if (!known) {
      throw new AppError('NOT_FOUND', `unit ${unit} not found (see: ohtw units list)`, { details: { unit } });
    }
    return { unit, runId: null, previousRunId: null, changes: [] };
  }
  const previous = history.previousDiagnosis(unit, current.runId);
  if (!previous) {
    return { unit, runId: current.runId, previousRunId: null, changes: [] };
  }
  const words: ChangeWords = {
    subject: subjects(known),
    gap: formatGap(Date.parse(current.startedAt) - Date.parse(previous.startedAt)),
  };
  const changes = compareReports(previous, current, words);
  // The day's count is context for a check that changed now; on its own it would fill every box for a day.
  const changed = new Set(changes.map((c) => c.checkId));
  const daily = windowChanges(dayBefore(history, current), words).filter((c) => changed.has(c.checkId));
  return { unit, runId: current.runId, previousRunId: previous.runId, changes: mergeByCheck(changes, daily) };
}

/**
 * Names checks in sentences: the services by the unit's own service names ("oht50-backend"), others by their id
 * without the area, in words ("disk" for resources.disk, "disk logs size" for resources.disk.logsSize).
 */
function subjects(unit: Unit | undefined): (checkId: string) => string {
  const services: Record<string, string | undefined> = {
    'services.backend': unit?.profile.backendService,
    'services.firmware': unit?.profile.firmwareService,
  };
  return (checkId) => {
    const service = services[checkId];
    if (service) {
      return service;
    }
    // "resources.disk.logsSize" → "disk logs size"
    const parts = checkId.split('.').map((part) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase());
    return parts.length > 1 ? parts.slice(1).join(' ') : checkId;
  };
}

/** Adds each extra line after the last line of its own check, so a check's lines stay together. */
function mergeByCheck(changes: CheckChange[], extra: CheckChange[]): CheckChange[] {
  const out = [...changes];
  for (const change of extra) {
    const at = out.findLastIndex((c) => c.checkId === change.checkId);
    out.splice(at < 0 ? out.length : at + 1, 0, change);
  }
  return out;
}
