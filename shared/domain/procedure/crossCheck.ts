import { procedureCommandEffect, type ProcedureCommand, type ProcedureParameter } from './commands';
import { OPERATIONS } from './operations';
import { isObject, pathKey } from './schemaDispatch';
import type { ActionStep, ProcedureStep } from './steps';
import { END_OF_PROCEDURE, NEVER_OVERRIDABLE_GATES, type ProcedureCategory } from './vocabulary';

/** Whole-file rules of a procedure: what no single field can check on its own. */

/** The parts of a procedure the whole-file rules read. */
export type ProcedureShape = {
  category: ProcedureCategory;
  parameters: readonly ProcedureParameter[];
  steps: readonly ProcedureStep[];
};

type Problem = { path: (string | number)[]; message: string };

/** Rules that span fields: unique ids, jumps that land, parameters that exist, gates where the vehicle changes. */
export function crossCheck(procedure: ProcedureShape): Problem[] {
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  procedure.steps.forEach((step, i) => {
    const seen = firstIndex.get(step.id);
    if (seen === undefined) {
      firstIndex.set(step.id, i);
    } else {
      problems.push({ path: ['steps', i, 'id'], message: `duplicate step id "${step.id}" (also steps[${seen}])` });
    }
  });
  const landing = (target: string | undefined, path: (string | number)[]) => {
    if (target !== undefined && target !== END_OF_PROCEDURE && !firstIndex.has(target)) {
      problems.push({ path, message: `dangling next: no step "${target}" in this procedure` });
    }
  };

  const { paramUsed, commandParams } = parameterRules(procedure.parameters, problems);

  let checklistSteps = 0;
  procedure.steps.forEach((step, i) => {
    const at = (...rest: (string | number)[]) => ['steps', i, ...rest];
    landing(step.next, at('next'));
    switch (step.kind) {
      case 'check':
        landing(step.onFail, at('onFail'));
        if ('command' in step) {
          commandParams(step.command, at('command'));
          const effect = procedureCommandEffect(step.command);
          if (effect.mutating) {
            problems.push({
              path: at('command'),
              message: `a check only reads, and this command changes the vehicle: ${effect.reason} (make it an action with gates)`,
            });
          }
        }
        break;
      case 'decision':
        uniqueIds(step.options, at('options'), 'option', problems);
        step.options.forEach((option, o) => landing(option.next, at('options', o, 'next')));
        break;
      case 'checklist':
        checklistSteps += 1;
        uniqueIds(step.items, at('items'), 'item', problems);
        break;
      case 'action':
        problems.push(...actionProblems(step, at));
        if ('command' in step) {
          commandParams(step.command, at('command'));
        } else {
          Object.entries(step.params).forEach(([key, value]) => paramUsed(value, at('params', key)));
        }
        break;
      default:
        break;
    }
  });
  if (procedure.category === 'checklist' && checklistSteps === 0) {
    problems.push({ path: ['steps'], message: 'a checklist procedure needs at least one checklist step' });
  }
  return problems;
}

/** Parameters declared once, and every reference in a command or an operation naming a declared one. */
function parameterRules(parameters: readonly ProcedureParameter[], problems: Problem[]) {
  const paramNames = new Set<string>();
  parameters.forEach((parameter, i) => {
    if (paramNames.has(parameter.name)) {
      problems.push({ path: ['parameters', i, 'name'], message: `duplicate parameter "${parameter.name}"` });
    }
    paramNames.add(parameter.name);
  });
  const paramUsed = (ref: unknown, path: (string | number)[]) => {
    if (isObject(ref) && typeof ref['param'] === 'string' && !paramNames.has(ref['param'])) {
      problems.push({ path, message: `parameter "${ref['param']}" is not declared in parameters` });
    }
  };
  const commandParams = (command: ProcedureCommand, path: (string | number)[]) => {
    command.args.forEach((arg, a) => {
      if (Array.isArray(arg)) {
        arg.forEach((part, p) => paramUsed(part, [...path, 'args', a, p]));
      } else {
        paramUsed(arg, [...path, 'args', a]);
      }
    });
  };
  return { paramUsed, commandParams };
}

function actionProblems(step: ActionStep, at: (...rest: (string | number)[]) => (string | number)[]): Problem[] {
  const problems: Problem[] = [];
  const gates = new Set(step.gates.map((g) => g.gate));
  step.gates.forEach((gate, g) => {
    if (gate.overridable && NEVER_OVERRIDABLE_GATES.includes(gate.gate)) {
      problems.push({
        path: at('gates', g, 'overridable'),
        message: `${NEVER_OVERRIDABLE_GATES.join(', ')} can never be overridden`,
      });
    }
  });
  if (step.mutating && step.gates.length === 0) {
    problems.push({
      path: at('gates'),
      message: 'a mutating step without gates: declare the live preconditions it needs (e.g. "vehicle.stopped")',
    });
  }
  if ('operation' in step) {
    const rule = OPERATIONS[step.operation];
    if (rule.mutating && !step.mutating) {
      problems.push({ path: at('mutating'), message: `${step.operation} changes the vehicle: mutating must be true` });
    }
    if (rule.destructive && !step.destructive) {
      problems.push({
        path: at('destructive'),
        message: `${step.operation} cannot be undone: destructive must be true (the technician types the unit's name)`,
      });
    }
    for (const gate of rule.gates) {
      if (!gates.has(gate)) {
        problems.push({ path: at('gates'), message: `${step.operation} needs the gate "${gate}"` });
      }
    }
    const params = rule.params.safeParse(step.params);
    if (!params.success) {
      for (const issue of params.error.issues) {
        problems.push({ path: at('params', ...issue.path.map(pathKey)), message: issue.message });
      }
    }
  } else {
    const effect = procedureCommandEffect(step.command);
    if (effect.mutating && !step.mutating) {
      problems.push({
        path: at('mutating'),
        message: `the workstation judges this command as changing the vehicle (${effect.reason}): mutating must be true, with its gates`,
      });
    }
    if (changesServiceState(step.command) && !gates.has('vehicle.stopped')) {
      problems.push({ path: at('gates'), message: 'starting or stopping a service needs the gate "vehicle.stopped"' });
    } else if (effect.mutating && effect.opaque && !gates.has('vehicle.stopped')) {
      problems.push({ path: at('gates'), message: `${effect.reason}: it needs the gate "vehicle.stopped"` });
    }
  }
  return problems;
}

function uniqueIds(list: readonly { id: string }[], path: (string | number)[], what: string, problems: Problem[]) {
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    if (seen.has(entry.id)) {
      problems.push({ path: [...path, i, 'id'], message: `duplicate ${what} id "${entry.id}"` });
    }
    seen.add(entry.id);
  });
}

/** systemctl start/stop/restart/… (and `service x restart`): commands that the gates must guard like operations do. */
function changesServiceState(command: ProcedureCommand): boolean {
  const verbs = new Set(['start', 'stop', 'restart', 'reload', 'try-restart', 'reload-or-restart', 'kill', 'isolate']);
  const literals = command.args.filter((a): a is string => typeof a === 'string');
  if (command.program === 'systemctl' || command.program.endsWith('/systemctl')) {
    return literals.some((a) => verbs.has(a));
  }
  if (command.program === 'service') {
    return literals.slice(1).some((a) => verbs.has(a));
  }
  return false;
}
