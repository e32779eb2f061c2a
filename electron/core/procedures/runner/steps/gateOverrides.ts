import { NEVER_OVERRIDABLE_GATES, type ActionStep } from '../../../../../shared/domain/procedure';
import { AppError } from '../../../../../shared/errors/AppError';
import type { GateOverride } from '../../../../../shared/ipc/contracts/procedureRuns';

/**
 * Overrides are honoured only for gates the procedure lets be overridden, and each names who and why. The vehicle
 * standing still, the E-Stop input and the firmware stopped before the bus is taken are never overridden, whatever
 * the procedure (or a run stored by an older build) says.
 */
export function checkOverrides(step: ActionStep, overrides: readonly GateOverride[]): GateOverride[] {
  for (const override of overrides) {
    if (NEVER_OVERRIDABLE_GATES.includes(override.gate)) {
      throw new AppError('VALIDATION', `the gate ${override.gate} can never be overridden`, {
        details: { stepId: step.id, gate: override.gate },
      });
    }
    const gate = step.gates.find((g) => g.gate === override.gate);
    if (!gate) {
      throw new AppError('VALIDATION', `step "${step.id}" has no gate ${override.gate} to override`);
    }
    if (!gate.overridable) {
      throw new AppError('VALIDATION', `the gate ${override.gate} of step "${step.id}" cannot be overridden`, {
        details: { stepId: step.id, gate: override.gate },
      });
    }
  }
  return overrides.map((o) => ({ gate: o.gate, by: o.by.trim(), reason: o.reason.trim() }));
}
