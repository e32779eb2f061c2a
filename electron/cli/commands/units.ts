import type { UnitAuth } from '../../../shared/domain/unit';
import { boolOption, intOption, parseCommandLine, stringOption } from '../args';
import { UsageError } from '../CliError';
import { formatUnits } from '../format';
import { languageOption } from './history';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  key: { type: 'string' },
  'passphrase-env': { type: 'string' },
  'password-env': { type: 'string' },
  fingerprint: { type: 'string' },
  lang: { type: 'string' },
} as const;

export const UNITS_USAGE = `ohtw units add NAME --host HOST [--port 22] --user USER (--key FILE [--passphrase-env VAR] | --password-env VAR)
ohtw units list [--lang en|vi] [--json]
ohtw units remove NAME
ohtw units trust NAME [--fingerprint SHA256:…]`;

export async function unitsCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, OPTIONS);
  const [sub, name, ...extra] = parsed.positionals;
  const json = boolOption(parsed, 'json');
  if (extra.length > 0) {
    throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    switch (sub) {
      case 'list': {
        const units = await session.api.call('units.list', {});
        io.out(json ? JSON.stringify(units, null, 2) : formatUnits(units, languageOption(parsed, io.env)));
        return 0;
      }
      case 'add': {
        const unitName = requireName(name, 'add');
        const host = stringOption(parsed, 'host');
        const user = stringOption(parsed, 'user');
        if (host === undefined || user === undefined) {
          throw new UsageError('units add needs --host and --user');
        }
        const port = intOption(parsed, 'port', 1, 65535) ?? 22;
        const unit = await session.api.call('units.add', { name: unitName, host, port, user, auth: authFrom(parsed) });
        io.out(
          json
            ? JSON.stringify(unit, null, 2)
            : `Added ${unit.name} (${unit.user}@${unit.host}:${unit.port}). Next: ohtw units trust ${unit.name}`,
        );
        return 0;
      }
      case 'remove': {
        const unitName = requireName(name, 'remove');
        const result = await session.api.call('units.remove', { name: unitName });
        io.out(json ? JSON.stringify(result) : `Removed ${unitName}; its history is kept.`);
        return 0;
      }
      case 'trust': {
        const unitName = requireName(name, 'trust');
        const fingerprint = stringOption(parsed, 'fingerprint');
        const probe = await session.api.call('units.trust', {
          name: unitName,
          ...(fingerprint !== undefined ? { fingerprint } : {}),
        });
        io.out(
          json
            ? JSON.stringify(probe, null, 2)
            : `${unitName} presents ${probe.algorithm} ${probe.fingerprint}\nPinned: this key is now trusted for ${unitName}.`,
        );
        return 0;
      }
      default:
        throw new UsageError(sub === undefined ? 'units needs a subcommand' : `unknown units subcommand "${sub}"`);
    }
  } finally {
    await session.core.close();
  }
}

function requireName(name: string | undefined, sub: string): string {
  if (name === undefined) {
    throw new UsageError(`units ${sub} needs a unit NAME`);
  }
  return name;
}

function authFrom(parsed: ReturnType<typeof parseCommandLine>): UnitAuth {
  const key = stringOption(parsed, 'key');
  const passwordEnv = stringOption(parsed, 'password-env');
  const passphraseEnv = stringOption(parsed, 'passphrase-env');
  if ((key === undefined) === (passwordEnv === undefined)) {
    throw new UsageError('give exactly one of --key FILE or --password-env VAR');
  }
  if (key !== undefined) {
    return { kind: 'key', keyPath: key, ...(passphraseEnv !== undefined ? { passphraseEnv } : {}) };
  }
  if (passphraseEnv !== undefined) {
    throw new UsageError('--passphrase-env goes with --key');
  }
  return { kind: 'password', passwordEnv: passwordEnv as string };
}
