import { parseProcedure, type Procedure } from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors/AppError';
import type { AttemptOutcome } from '../../../../shared/ipc/contracts/procedureRuns';
import { replay, type FlowAttempt, type FlowPosition } from './flow';
import type { StoredRun } from './runStore';

/** The procedure a run follows, as it was when the run started. */
export function parseStoredProcedure(json: string, runId: string): Procedure {
  const parsed = parseProcedure(JSON.parse(json));
  if (!parsed.ok) {
    throw new AppError(
      'DB',
      `run ${runId}: the procedure it follows is unreadable (${parsed.problems[0]?.message ?? ''})`,
    );
  }
  return parsed.procedure;
}

/** Where a stored run stands: its attempts replayed over the procedure's flow. */
export function positionOf(stored: StoredRun): FlowPosition {
  const procedure = parseStoredProcedure(stored.run.procedure_json, stored.run.id);
  const attempts: FlowAttempt[] = stored.steps.map((row) => {
    const outcome = JSON.parse(row.result_json) as AttemptOutcome;
    return {
      seq: row.seq,
      stepId: row.step_id,
      unit: row.unit,
      status: row.status,
      passed: outcome.passed,
      choice: outcome.choice,
    };
  });
  return replay(procedure, stored.units, attempts);
}
