import {
  END_OF_PROCEDURE,
  NEVER_OVERRIDABLE_GATES,
  defaultNext,
  type Procedure,
  type ProcedureStep,
} from '../../../../shared/domain/procedure';
import type { ParsedStepAnswer as StepAnswer } from '../../../../shared/ipc/contracts/procedureRuns';

/** The technician's answers given up front (the CLI's --answers file), by step id. */
export type AnswerSheet = Readonly<Record<string, StepAnswer>>;

/**
 * Checks a whole answers sheet against the procedure before anything runs on a unit. Every step the run may reach
 * (following the sheet's own decisions, and both outcomes of each check) must be answered where it needs a person:
 * an action (gated or not) needs its explicit confirmation, a destructive one the units' names typed; a manual step
 * its confirmation (and note where required); a decision one of its options; a checklist every item; an escalate
 * step its escalation. Info and check steps may be left out (read and run as they come). Returns every problem.
 */
export function validateAnswers(procedure: Procedure, units: readonly string[], sheet: AnswerSheet): string[] {
  const problems: string[] = [];
  const byId = new Map(procedure.steps.map((step, index) => [step.id, { step, index }]));
  for (const stepId of Object.keys(sheet)) {
    if (!byId.has(stepId)) {
      problems.push(`answers for "${stepId}": ${procedure.id} has no such step`);
    }
  }
  const reachable: string[] = [];
  const seen = new Set<string>();
  const queue = [procedure.steps[0]?.id ?? END_OF_PROCEDURE];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (id === END_OF_PROCEDURE || seen.has(id) || !byId.has(id)) {
      continue;
    }
    seen.add(id);
    reachable.push(id);
    const { step, index } = byId.get(id) as { step: ProcedureStep; index: number };
    const answer = sheet[id];
    if (answer?.kind === 'skip') {
      queue.push(defaultNext(procedure, index));
      continue;
    }
    if (step.kind === 'decision') {
      const chosen = answer?.kind === 'decision' ? step.options.find((o) => o.id === answer.option) : undefined;
      if (chosen) {
        queue.push(chosen.next);
      }
      continue;
    }
    if (step.kind === 'check' && step.onFail !== undefined) {
      queue.push(step.onFail);
    }
    queue.push(defaultNext(procedure, index));
  }
  for (const id of reachable) {
    const { step } = byId.get(id) as { step: ProcedureStep };
    problems.push(...stepProblems(step, units, sheet[id]));
  }
  return problems;
}

function stepProblems(step: ProcedureStep, units: readonly string[], answer: StepAnswer | undefined): string[] {
  const at = `step "${step.id}"`;
  if (answer?.kind === 'skip') {
    return step.kind === 'escalate' ? [`${at}: an escalation cannot be skipped`] : [];
  }
  switch (step.kind) {
    case 'info':
      return answer === undefined || answer.kind === 'ack' ? [] : [`${at} is information: answer {"kind": "ack"}`];
    case 'check':
      return answer === undefined || answer.kind === 'run' ? [] : [`${at} is a check: answer {"kind": "run"}`];
    case 'action': {
      const gates = step.gates.map((g) => g.gate);
      const what = `${step.mutating ? 'changes the vehicle' : 'acts on the unit'}${gates.length ? ` (gates: ${gates.join(', ')})` : ''}`;
      if (answer?.kind !== 'confirm') {
        return [`${at} ${what} and needs its explicit confirmation: {"kind": "confirm"}`];
      }
      const problems: string[] = [];
      if (step.destructive && answer.typedConfirmation !== units.join(', ')) {
        problems.push(`${at} cannot be undone: typedConfirmation must be the unit's name, "${units.join(', ')}"`);
      }
      for (const override of answer.overrides ?? []) {
        const gate = step.gates.find((g) => g.gate === override.gate);
        if (NEVER_OVERRIDABLE_GATES.includes(override.gate)) {
          problems.push(`${at}: the gate ${override.gate} can never be overridden`);
        } else if (!gate?.overridable) {
          problems.push(`${at}: the gate ${override.gate} cannot be overridden in this procedure`);
        }
      }
      return problems;
    }
    case 'manual':
      if (answer?.kind !== 'manual') {
        return [`${at} is done by hand and needs the technician's confirmation: {"kind": "manual", "confirmed": true}`];
      }
      if (step.note === 'required' && !answer.note?.trim()) {
        return [`${at} needs a note`];
      }
      if (step.attachment === 'required' && (answer.attachments ?? []).length === 0) {
        return [`${at} needs an attachment`];
      }
      return [];
    case 'decision':
      if (answer?.kind !== 'decision') {
        return [
          `${at} is a decision: answer {"kind": "decision", "option": one of ${step.options.map((o) => o.id).join(', ')}}`,
        ];
      }
      return step.options.some((o) => o.id === answer.option)
        ? []
        : [`${at}: "${answer.option}" is not one of its options (${step.options.map((o) => o.id).join(', ')})`];
    case 'checklist': {
      if (answer?.kind !== 'checklist') {
        return [`${at} is a checklist: every item needs an answer (done, not-done or n/a)`];
      }
      const given = new Map(answer.items.map((item) => [item.id, item]));
      const problems = step.items.flatMap((item) => {
        const found = given.get(item.id);
        if (!found) {
          return [`${at}: item "${item.id}" has no answer`];
        }
        return item.note === 'required' && !found.note?.trim() ? [`${at}: item "${item.id}" needs a note`] : [];
      });
      for (const id of given.keys()) {
        if (!step.items.some((item) => item.id === id)) {
          problems.push(`${at}: there is no item "${id}"`);
        }
      }
      return problems;
    }
    case 'escalate':
      return answer?.kind === 'escalate' ? [] : [`${at} escalates to level ${step.level}: answer {"kind": "escalate"}`];
  }
}
