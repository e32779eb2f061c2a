import { resolve } from 'node:path';

import type { HostKeyConflictView, SyncResult, TeamFleetUnit, TeamStatus } from '../../../shared/domain/team';
import { boolOption, parseCommandLine, stringOption } from '../args';
import { EXIT_FAILURE, UsageError } from '../CliError';
import { table } from '../format';
import type { CliIo } from '../io';
import { openCore } from '../openCore';

export const TEAM_USAGE = [
  'ohtw team join postgres://USER@HOST:PORT/DB [--name LAPTOP] [--password-env VAR] [--ca FILE]',
  'ohtw team status [--json]                 (the server, what waits to be pushed, the last sync, conflicts)',
  'ohtw team fleet [--server] [--json]       (every unit the team knows: last visit, by whom, on which laptop)',
  'ohtw team leave',
].join('\n');

export const SYNC_USAGE =
  "ohtw sync [--json]                        (push this laptop's history, then pull the team's)";

/** `ohtw team`: joining a team server and what the team shares. */
export async function teamCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {
    name: { type: 'string' },
    'password-env': { type: 'string' },
    ca: { type: 'string' },
    server: { type: 'boolean' },
  });
  const [sub, ...rest] = parsed.positionals;
  const json = boolOption(parsed, 'json');
  if (sub === 'join' && rest.length !== 1) {
    throw new UsageError('team join takes the server address: postgres://USER@HOST:PORT/DB');
  }
  if (sub !== 'join' && rest.length > 0) {
    throw new UsageError(`team ${sub ?? ''} takes no arguments`);
  }
  if (sub !== 'join' && sub !== 'status' && sub !== 'fleet' && sub !== 'leave') {
    throw new UsageError(`team takes: ${TEAM_USAGE.split('\n').join(' | ')}`);
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    if (sub === 'fleet') {
      const units = await session.api.call('team.fleet', { source: boolOption(parsed, 'server') ? 'server' : 'local' });
      io.out(json ? JSON.stringify(units, null, 2) : formatFleet(units));
      return 0;
    }
    const ca = stringOption(parsed, 'ca');
    const name = stringOption(parsed, 'name');
    const passwordEnv = stringOption(parsed, 'password-env');
    const status =
      sub === 'join'
        ? await session.api.call('team.join', {
            url: rest[0] ?? '',
            ...(name === undefined ? {} : { deviceLabel: name }),
            ...(passwordEnv === undefined ? {} : { passwordEnv }),
            ...(ca === undefined ? {} : { caFile: resolve(io.cwd, ca) }),
          })
        : sub === 'leave'
          ? await session.api.call('team.leave', {})
          : await session.api.call('team.status', {});
    io.out(json ? JSON.stringify(status, null, 2) : formatStatus(status));
    return 0;
  } finally {
    await session.core.close();
  }
}

/** `ohtw sync`: push then pull; exit 1 when it stopped (what was committed stays; the next sync carries on). */
export async function syncCommand(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(argv, {});
  if (parsed.positionals.length > 0) {
    throw new UsageError(`sync takes no arguments: ${parsed.positionals.join(' ')}`);
  }
  const session = await openCore(io, stringOption(parsed, 'data-dir'));
  try {
    const { result } = await session.api.call('team.sync', { wait: true });
    if (result === null) {
      throw new UsageError('the sync gave no result');
    }
    if (boolOption(parsed, 'json')) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      if (result.ok) {
        io.out(formatSync(result));
      } else {
        io.err(formatSync(result));
      }
    }
    return result.ok ? 0 : EXIT_FAILURE;
  } finally {
    await session.core.close();
  }
}

function counts(c: SyncResult['pushed']): string {
  const parts = Object.entries(c)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`);
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}

export function formatSync(result: SyncResult): string {
  return [
    result.ok ? `synced in ${(result.durationMs / 1000).toFixed(1)} s` : `sync stopped: ${result.error ?? ''}`,
    `pushed: ${counts(result.pushed)}`,
    `pulled: ${counts(result.pulled)}`,
    ...(result.settingsApplied > 0
      ? [`${result.settingsApplied} team setting(s) edited later by a colleague now in force`]
      : []),
    ...result.refused.map((what) => `refused: ${what} belongs to another laptop on the server`),
    ...formatConflicts(result.conflicts),
  ].join('\n');
}

export function formatConflicts(conflicts: readonly HostKeyConflictView[]): string[] {
  return conflicts.flatMap((conflict) => [
    `CONFLICT ${conflict.unit}: laptops pinned different host keys (a replaced board, or a spoofed one); check the vehicle and pin the key it shows`,
    ...conflict.pins.map((pin) => `  ${pin.device}: ${pin.fingerprint}`),
  ]);
}

function formatStatus(status: TeamStatus): string {
  if (!status.joined) {
    return `not in a team (device ${status.deviceId}). Join one: ohtw team join postgres://USER@HOST:PORT/DB`;
  }
  const last = status.lastSync;
  return [
    `team server: ${status.url ?? ''} (password from ${status.passwordFrom ?? '?'})`,
    `this laptop: ${status.deviceLabel ?? ''} (device ${status.deviceId}), joined ${status.joinedAt ?? ''}`,
    `waiting to be pushed: ${status.pending}`,
    last === null
      ? 'last sync: never'
      : `last sync: ${last.at} ${last.ok ? `ok (pushed ${last.pushed}, pulled ${last.pulled})` : `stopped: ${last.error ?? ''}`}`,
    ...(status.devices.length > 0
      ? [
          `colleagues' laptops: ${status.devices.map((d) => `${d.label}${d.technician ? ` (${d.technician})` : ''}`).join(', ')}`,
        ]
      : []),
    ...formatConflicts(status.conflicts),
  ].join('\n');
}

function formatFleet(units: readonly TeamFleetUnit[]): string {
  if (units.length === 0) {
    return 'The team knows no units yet.';
  }
  return table(
    ['UNIT', 'LAST VISIT', 'LEVEL', 'BY', 'LAPTOP', 'LAST BACKUP', 'REGISTERED ON'],
    units.map((u) => [
      `${u.name}${u.conflict ? ' (HOST KEY CONFLICT)' : ''}`,
      u.lastVisit?.at ?? 'never',
      u.lastVisit?.level ?? '-',
      u.lastVisit?.actor ?? '-',
      u.lastVisit ? (u.lastVisit.device ?? 'this laptop') : '-',
      u.lastBackup ? `${u.lastBackup.at} ${u.lastBackup.actor ?? ''}`.trim() : 'none',
      u.devices.join(', '),
    ]),
  );
}
