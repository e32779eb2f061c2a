import { boolOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const CONFIG_USAGE = ['ohtw config set technician NAME', 'ohtw config get technician [--json]'].join('\n');

/**
 * `ohtw config`: the technician's name, set once for this workstation and recorded on every audit row, run step and
 * signature. Unset, the OS user is recorded, marked as such: get says which.
 */
export async function configCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {});
  const [verb, key, ...value] = parsed.positionals;
  if (key !== 'technician' || (verb !== 'set' && verb !== 'get') || (verb === 'get' && value.length > 0)) {
    throw new UsageError(`config takes: ${CONFIG_USAGE.split('\n').join(' | ')}`);
  }
  if (verb === 'set' && value.length === 0) {
    throw new UsageError('config set technician needs the name (quote a name with spaces)');
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const info =
      verb === 'set'
        ? await session.api.call('session.setTechnician', { name: value.join(' ') })
        : await session.api.call('session.get', {});
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(info.technician, null, 2));
    } else if (info.technician.name === null) {
      io.out(
        `technician: not set; actions are recorded as "${info.technician.recordedAs}". Set it: ohtw config set technician NAME`,
      );
    } else {
      io.out(`technician: ${info.technician.name} (recorded on every audit row, run step and signature)`);
    }
    return 0;
  } finally {
    await session.core.close();
  }
}
