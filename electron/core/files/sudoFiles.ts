import { AppError } from '../../../shared/errors/AppError';
import type { RemoteEntry } from '../../../shared/domain/remoteFiles';
import { shellQuote, type CommandChannel, type StreamChannel } from '../transport/transport';

/*
 * The unit's files as root, through `sudo -n`, for what the login user may not read or write (the install folder is
 * 750 oht:oht on the vehicles, /etc/oht50 is root's). GNU find and coreutils, as the vehicles' Debian has them.
 */

/** type, mode, uid, gid, owner, group, size, mtime, name: one entry per NUL, the name last (it may hold tabs). */
const FORMAT = `'%y\\t%m\\t%U\\t%G\\t%u\\t%g\\t%s\\t%T@\\t%f\\0'`;
const TIMEOUT_MS = 60_000;
const TYPES: Record<string, RemoteEntry['type']> = { f: 'file', d: 'dir', l: 'symlink' };

type Channel = CommandChannel & StreamChannel;

export function parseFindEntries(stdout: string, parent: string): RemoteEntry[] {
  return stdout
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const fields = record.split('\t');
      const name = fields.slice(8).join('\t');
      const [type = '', mode = '0', uid = '0', gid = '0', owner = '', group = '', size = '0', mtime = '0'] = fields;
      return {
        name,
        path: parent === '/' ? `/${name}` : `${parent}/${name}`,
        type: TYPES[type] ?? 'other',
        mode: Number.parseInt(mode, 8) & 0o7777,
        uid: Number(uid) || 0,
        gid: Number(gid) || 0,
        owner,
        group,
        size: Number(size) || 0,
        mtimeMs: Math.round(Number(mtime) * 1000) || 0,
      };
    });
}

function failure(unit: string, what: string, stderr: string, exitCode: number | null): AppError {
  const said = stderr.trim().split('\n').slice(-1)[0] ?? '';
  if (/No such file or directory/.test(said)) {
    return new AppError('NOT_FOUND', `${unit}: ${what}: no such file or folder`);
  }
  return new AppError('COMMAND_FAILED', `${unit}: ${what} failed (exit ${exitCode ?? '?'}): ${said}`);
}

export async function sudoList(channel: Channel, unit: string, path: string): Promise<RemoteEntry[]> {
  const result = await channel.exec(`find ${shellQuote(path)} -mindepth 1 -maxdepth 1 -printf ${FORMAT}`, {
    timeoutMs: TIMEOUT_MS,
    sudo: true,
  });
  if (result.exitCode !== 0) {
    throw failure(unit, `listing ${path}`, result.stderr, result.exitCode);
  }
  return parseFindEntries(result.stdout, path).sort((a, b) => a.name.localeCompare(b.name));
}

export async function sudoStat(channel: Channel, unit: string, path: string): Promise<RemoteEntry> {
  const result = await channel.exec(`find ${shellQuote(path)} -maxdepth 0 -printf ${FORMAT}`, {
    timeoutMs: TIMEOUT_MS,
    sudo: true,
  });
  const parent = path.slice(0, path.lastIndexOf('/')) || '/';
  const [entry] = parseFindEntries(result.stdout, parent);
  if (result.exitCode !== 0 || entry === undefined) {
    throw failure(unit, `reading ${path}`, result.stderr, result.exitCode);
  }
  return entry;
}

/** At most `maxBytes` of the file, as bytes. */
export async function sudoRead(channel: Channel, unit: string, path: string, maxBytes: number): Promise<Buffer> {
  const exec = channel.execStream(`head -c ${maxBytes} -- ${shellQuote(path)}`, {
    sudo: true,
    idleTimeoutMs: TIMEOUT_MS,
  });
  const chunks: Buffer[] = [];
  exec.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const end = await exec.done;
  if (end.exitCode !== 0) {
    throw failure(unit, `reading ${path}`, end.stderr, end.exitCode);
  }
  return Buffer.concat(chunks);
}

/** Exit status of the write script when the file is no longer the one the edit was made on. */
const CHANGED_EXIT = 3;

/**
 * Replaces the file in one rename: the new content goes to a temporary file beside it (same file system), takes the
 * old file's owner and mode, reaches the disk, and is renamed over the old one, but only if the old one is still the
 * file the edit was made on. Answers the SHA-256 of the file written.
 */
export async function sudoWrite(
  channel: Channel,
  unit: string,
  path: string,
  content: Buffer,
  baseSha256: string,
): Promise<string> {
  const p = shellQuote(path);
  const script = [
    'set -eu',
    `[ "$(sha256sum -- ${p} | cut -d ' ' -f 1)" = ${shellQuote(baseSha256)} ] || { echo "ohtw: the file changed on the unit since it was read" >&2; exit ${CHANGED_EXIT}; }`,
    `t=$(mktemp -- "$(dirname -- ${p})/.ohtw-edit.XXXXXX")`,
    `trap 'rm -f -- "$t"' EXIT`,
    'cat > "$t"',
    `chown --reference=${p} -- "$t"`,
    `chmod --reference=${p} -- "$t"`,
    'sync -- "$t" 2>/dev/null || sync',
    `mv -f -- "$t" ${p}`,
    'trap - EXIT',
    `sha256sum -- ${p} | cut -d ' ' -f 1`,
  ].join('\n');
  const exec = channel.execStream(script, { sudo: true, stdin: 'pipe', idleTimeoutMs: TIMEOUT_MS });
  let stdout = '';
  exec.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  exec.stdin.end(content);
  const end = await exec.done;
  if (end.exitCode === CHANGED_EXIT) {
    throw new AppError('CONFLICT', `${unit}: ${path} changed on the unit since it was read; read it again`);
  }
  if (end.exitCode !== 0) {
    throw failure(unit, `writing ${path}`, end.stderr, end.exitCode);
  }
  return stdout.trim();
}
