import type { JsonValue } from '../../../../shared/errors/AppError';
import type { HistoryRepository } from '../../history/HistoryRepository';

export type RunAudit = (
  actor: string,
  units: readonly string[],
  action: string,
  outcome: 'ok' | 'failed' | 'refused',
  details: Record<string, JsonValue>,
) => void;

/** A run's audit entries name their first unit, and every unit when there are several. */
export function runAudit(history: Pick<HistoryRepository, 'appendAudit'>): RunAudit {
  return (actor, units, action, outcome, details) => {
    history.appendAudit({
      actor,
      unit: units[0] ?? null,
      action,
      outcome,
      details: units.length > 1 ? { ...details, units: [...units] } : details,
    });
  };
}
