import type { CommandArg, ProcedureCommand } from '../../../shared/domain/procedure';

/** A command as the procedure file states it, for reading: parameters and profile values shown as placeholders. */
export function commandText(command: ProcedureCommand): string {
  const words = [command.program, ...command.args.map(argText)];
  return `${command.sudo ? 'sudo ' : ''}${words.join(' ')}`;
}

function argText(arg: CommandArg): string {
  const parts = Array.isArray(arg) ? arg : [arg];
  return parts
    .map((part) => {
      if (typeof part === 'string') {
        return part;
      }
      return 'param' in part ? `<${part.param}>` : `<${part.profile}>`;
    })
    .join('');
}
