import { posix } from 'node:path';

import { AppError } from '../../../../shared/errors/AppError';
import { shellQuote } from '../../transport/transport';
import { rootProblem, scopeRootFor, type RestoreScope } from './scope';
import type { TreeEntry } from './tree';
import type { RemoteShell } from './remoteShell';

/** One record per entry, NUL-separated fields: type, mode, uid, gid, owner, group, size, path, link target. */
const FIND_FORMAT = String.raw`%y\0%m\0%U\0%G\0%u\0%g\0%s\0%p\0%l\0`;
const FIELDS = 9;
const HASHES_MARK = 'ohtw-hashes';

/** The find expression for one root: what the profile leaves out is pruned, other file systems are not entered. */
function findRoot(root: string, excludes: readonly string[], action: string): string {
  const prunes = excludes.filter((ex) => ex.startsWith(`${root}/`)).map((ex) => `-path ${shellQuote(ex)}`);
  const prune = prunes.length > 0 ? `\\( ${prunes.join(' -o ')} \\) -prune -o ` : '';
  return `find "$r" -xdev ${prune}${action}`;
}

function eachRoot(root: string, body: string): string {
  const last = posix.basename(root);
  const words = /[*?]/.test(last) ? `${shellQuote(`${posix.dirname(root)}/`)}${last}` : shellQuote(root);
  // A glob with no match stays literal in sh: the -e/-L test skips it, as it skips a root the unit does not have.
  return `for r in ${words}; do if [ -e "$r" ] || [ -L "$r" ]; then ${body}; fi; done`;
}

/**
 * The script that lists the scope on the unit with every file's SHA-256, run as root (files only root can read).
 * GNU find and sha256sum, as on the vehicle's Debian-based OS.
 */
export function listingScript(scope: RestoreScope): string {
  for (const root of scope.roots) {
    if (rootProblem(root) !== null) {
      throw new AppError('UNSAFE_PATH', `refusing to list ${JSON.stringify(root)}: ${rootProblem(root) ?? ''}`, {
        details: { path: root },
      });
    }
  }
  const lines = ['set -u', 'export LC_ALL=C'];
  for (const root of scope.roots) {
    lines.push(eachRoot(root, findRoot(root, scope.excludes, `-printf '${FIND_FORMAT}'`)));
  }
  lines.push(`printf '${HASHES_MARK}\\0'`);
  for (const root of scope.roots) {
    lines.push(eachRoot(root, `${findRoot(root, scope.excludes, '-type f -print0')} | xargs -0 -r sha256sum -z --`));
  }
  return `${lines.join('\n')}\n`;
}

const TYPES: Record<string, TreeEntry['type']> = { f: 'file', d: 'dir', l: 'symlink' };

/** Parses what listingScript prints; entries outside the scope (a hostile unit's answer) are dropped. */
export function parseListing(scope: RestoreScope, output: string): TreeEntry[] {
  const markAt = output.indexOf(`${HASHES_MARK}\0`);
  if (markAt < 0) {
    throw new AppError('COMMAND_FAILED', 'the listing of the unit ended early (no hashes section)');
  }
  const fields = output.slice(0, markAt).split('\0');
  fields.pop();
  if (fields.length % FIELDS !== 0) {
    throw new AppError('COMMAND_FAILED', 'the listing of the unit is malformed');
  }
  const hashes = new Map<string, string>();
  for (const line of output.slice(markAt + HASHES_MARK.length + 1).split('\0')) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/s.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) {
      hashes.set(match[2], match[1]);
    }
  }
  const entries = new Map<string, TreeEntry>();
  for (let i = 0; i < fields.length; i += FIELDS) {
    const [y, m, uid, gid, owner, group, size, path, link] = fields.slice(i, i + FIELDS) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    if (scopeRootFor(scope, path) === null) {
      continue;
    }
    const type = TYPES[y] ?? 'other';
    const entry: TreeEntry = {
      path,
      type,
      mode: parseInt(m, 8),
      uid: Number(uid),
      gid: Number(gid),
      owner: owner === uid ? '' : owner,
      group: group === gid ? '' : group,
      size: type === 'file' ? Number(size) : 0,
      sha256: '',
    };
    if (type === 'file') {
      const sha = hashes.get(path);
      if (sha === undefined) {
        throw new AppError('COMMAND_FAILED', `${path} could not be read on the unit to hash it`, { details: { path } });
      }
      entry.sha256 = sha;
    }
    if (type === 'symlink') {
      entry.linkTarget = link;
    }
    entries.set(path, entry);
  }
  return [...entries.values()];
}

/** Lists the scope on the unit now. */
export async function listRemoteTree(shell: RemoteShell, scope: RestoreScope): Promise<TreeEntry[]> {
  const result = await shell.run(listingScript(scope), { sudo: true, timeoutMs: 300_000 });
  if (result.exitCode !== 0) {
    throw new AppError(
      'COMMAND_FAILED',
      `listing the unit's files failed (exit ${String(result.exitCode)}): ${result.stderr.trim().slice(0, 300)}`,
    );
  }
  return parseListing(scope, result.stdout.toString('utf8'));
}
