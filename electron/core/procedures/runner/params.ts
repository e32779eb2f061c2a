import { isIP } from 'node:net';

import type { Procedure, ProcedureParameter } from '../../../../shared/domain/procedure';
import { AppError } from '../../../../shared/errors/AppError';

/**
 * The values of a run's parameters: every declared one (its default when not given), each checked against its type
 * and pattern; a value for a parameter the procedure does not declare is refused. Values stay values: they reach
 * commands as single quoted arguments, so their content is only checked for being what the type says.
 */
export function resolveParams(procedure: Procedure, given: Readonly<Record<string, string>>): Record<string, string> {
  const problems: string[] = [];
  const declared = new Map(procedure.parameters.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) {
      problems.push(`${procedure.id} has no parameter "${name}"`);
    }
  }
  const values: Record<string, string> = {};
  for (const parameter of procedure.parameters) {
    const raw = given[parameter.name] ?? (parameter.default === undefined ? undefined : String(parameter.default));
    if (raw === undefined || raw === '') {
      if (parameter.required) {
        problems.push(`the parameter "${parameter.name}" (${parameter.label.en}) is required`);
      }
      continue;
    }
    const problem = checkValue(parameter, raw);
    if (problem) {
      problems.push(`the parameter "${parameter.name}": ${problem}`);
      continue;
    }
    values[parameter.name] = raw;
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION', problems.join('; '), { details: { problems } });
  }
  return values;
}

function checkValue(parameter: ProcedureParameter, value: string): string | undefined {
  if (/[\0\n\r]/.test(value)) {
    return 'a value is one line of text';
  }
  switch (parameter.type) {
    case 'integer':
      if (!/^-?\d{1,15}$/.test(value)) {
        return `"${value}" is not a whole number`;
      }
      break;
    case 'ipv4':
      if (isIP(value) !== 4) {
        return `"${value}" is not an IPv4 address`;
      }
      break;
    case 'host':
      if (!/^[A-Za-z0-9.:_-]{1,253}$/.test(value)) {
        return `"${value}" is not a host name or address`;
      }
      break;
    case 'path':
      if (!value.startsWith('/') || value.split('/').includes('..')) {
        return `"${value}" is not an absolute path without ".."`;
      }
      break;
    case 'text':
      break;
  }
  if (parameter.pattern !== undefined && !new RegExp(`^(?:${parameter.pattern})$`).test(value)) {
    return `"${value}" does not match ${parameter.pattern}`;
  }
  return undefined;
}
