import { AppError } from '../../../shared/errors/AppError';
import type { DiagnosisChanges } from '../../../shared/domain/changes';
import type { HistoryRepository } from '../history/HistoryRepository';

/** What changed in a unit's sweep (the newest, or runId) against the one before it. */
export function diagnosisChanges(_history: HistoryRepository, _unit: string, _runId?: string): DiagnosisChanges {
  throw new AppError('INTERNAL', 'changes are not available yet');
}
