import { join } from 'node:path';

import { resolveDataDir } from '../../core/paths/dataDir';
import { startSimFleet, type SimUnitInfo } from '../../sim/SimServer';
import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import type { CliIo } from '../io';

export const SIM_USAGE = 'ohtw sim [--units N] [--json]   (simulated OHT-50 units on 127.0.0.1 until Ctrl-C)';

export async function simCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, { units: { type: 'string' } });
  if (parsed.positionals.length > 0) {
    throw new UsageError(`sim takes no arguments: ${parsed.positionals.join(' ')}`);
  }
  const count = intOption(parsed, 'units', 1, 50) ?? 3;
  const stateDir = join(resolveDataDir(stringOption(parsed, 'data-dir'), io.env), 'sim');
  const fleet = await startSimFleet({ count, stateDir });
  try {
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(fleet.units.map(describeJson), null, 2));
    } else {
      io.out(`${fleet.units.length} simulated OHT-50 unit(s) running. Press Ctrl-C to stop.\n`);
      for (const unit of fleet.units) {
        io.out(describeText(unit));
      }
    }
    await io.waitForStop();
    return 0;
  } finally {
    await fleet.close();
  }
}

function describeJson(unit: SimUnitInfo): Record<string, unknown> {
  return {
    name: unit.name,
    host: unit.host,
    port: unit.port,
    user: unit.user,
    clientKeyPath: unit.clientKeyPath,
    hostKeyFingerprint: unit.hostKeyFingerprint,
    hostKeyAlgorithm: unit.hostKeyAlgorithm,
  };
}

function describeText(unit: SimUnitInfo): string {
  return [
    `${unit.name}: ${unit.user}@${unit.host}:${unit.port}  host key ${unit.hostKeyFingerprint}`,
    `  ssh -i ${unit.clientKeyPath} -p ${unit.port} ${unit.user}@${unit.host}`,
    `  ohtw units add ${unit.name} --host ${unit.host} --port ${unit.port} --user ${unit.user} --key ${unit.clientKeyPath}`,
    `  ohtw units trust ${unit.name} --fingerprint ${unit.hostKeyFingerprint}`,
    '',
  ].join('\n');
}
