import { posix } from 'node:path';

import { shellQuote } from '../../transport/transport';
import type { ApplyPlan } from './plan';
import { inScope, type RestoreScope } from './scope';
import type { TreeEntry } from './tree';

export type ApplyFile = { entry: TreeEntry; temp: string };

export type ApplyScript = {
  text: string;
  /** Files in the order their content must follow in the archive on stdin, with the temporary name each lands at. */
  files: ApplyFile[];
};

const q = shellQuote;

/**
 * The script that applies a plan on the unit as root, reading the new files' content as a tar archive on stdin:
 * removals (deepest first), new directories, every file written under a temporary name in its own directory and
 * renamed over the old one with its owner and mode already set, symlinks made aside and renamed, modes and owners
 * fixed in place, directories' own mode and owner last. Any failure stops it (set -e) and removes the temporary files.
 * Nothing is written through a symlink: every parent inside the scope is checked to be a plain directory first.
 */
export function buildApplyScript(scope: RestoreScope, apply: ApplyPlan, transactionId: string): ApplyScript {
  const tag = transactionId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  const lines: string[] = [
    'set -eu',
    'umask 077',
    'export LC_ALL=C',
    'staging=$(dirname -- "$0")',
    ': > "$staging/temps"',
    'die() { printf "ohtw-apply: %s\\n" "$*" >&2; exit 1; }',
    'cleanup() { status=$?; if [ "$status" -ne 0 ]; then while IFS= read -r t; do rm -f -- "$t"; done < "$staging/temps"; fi; exit "$status"; }',
    'trap cleanup EXIT',
    'plain() { [ -d "$1" ] && [ ! -L "$1" ] || die "$1 is not a plain directory (a symlink or missing): nothing is written through it"; }',
    'user_of() { if [ -n "$1" ] && id -u -- "$1" >/dev/null 2>&1; then printf %s "$1"; else printf %s "$2"; fi; }',
    'group_of() { if [ -n "$1" ] && getent group -- "$1" >/dev/null 2>&1; then printf %s "$1"; else printf %s "$2"; fi; }',
  ];
  // Owners by name where the unit knows the name (a replacement board may number accounts differently), else by id.
  const owners = new Map<string, string>();
  const ownerVar = (entry: TreeEntry): string => {
    const key = `${entry.owner}\0${entry.uid}\0${entry.group}\0${entry.gid}`;
    let name = owners.get(key);
    if (name === undefined) {
      name = `own${owners.size}`;
      owners.set(key, name);
      lines.push(`${name}="$(user_of ${q(entry.owner)} ${entry.uid}):$(group_of ${q(entry.group)} ${entry.gid})"`);
    }
    return `"$${name}"`;
  };
  const mode = (entry: TreeEntry): string => entry.mode.toString(8).padStart(4, '0');
  const guard = (path: string): void => {
    const parent = posix.dirname(path);
    if (inScope(scope, parent)) {
      lines.push(`plain ${q(parent)}`);
    }
  };

  for (const entry of apply.removals) {
    guard(entry.path);
    lines.push(entry.type === 'dir' ? `rmdir -- ${q(entry.path)}` : `rm -f -- ${q(entry.path)}`);
  }
  for (const entry of apply.mkdirs) {
    guard(entry.path);
    lines.push(`mkdir -m 700 -- ${q(entry.path)}`);
  }
  const files: ApplyFile[] = apply.files.map((entry, i) => ({
    entry,
    temp: `${posix.dirname(entry.path)}/.ohtw-${tag}-${i}`,
  }));
  for (const { entry, temp } of files) {
    guard(entry.path);
    lines.push(`printf '%s\\n' ${q(temp)} >> "$staging/temps"`);
  }
  if (files.length > 0) {
    lines.push('tar -x -f - -C / --no-same-owner --no-same-permissions --no-overwrite-dir');
    for (const { entry, temp } of files) {
      lines.push(
        `[ -f ${q(temp)} ] && [ ! -L ${q(temp)} ] || die ${q(`the content of ${entry.path} did not arrive`)}`,
        `chown -- ${ownerVar(entry)} ${q(temp)}`,
        `chmod ${mode(entry)} ${q(temp)}`,
        `mv -f -T -- ${q(temp)} ${q(entry.path)}`,
      );
    }
  } else {
    lines.push('cat > /dev/null');
  }
  apply.links.forEach((entry, i) => {
    const temp = `${posix.dirname(entry.path)}/.ohtw-${tag}-l${i}`;
    guard(entry.path);
    lines.push(
      `printf '%s\\n' ${q(temp)} >> "$staging/temps"`,
      `ln -s -- ${q(entry.linkTarget ?? '')} ${q(temp)}`,
      `chown -h -- ${ownerVar(entry)} ${q(temp)}`,
      `mv -f -T -- ${q(temp)} ${q(entry.path)}`,
    );
  });
  for (const entry of apply.metadata) {
    guard(entry.path);
    lines.push(`chown -h -- ${ownerVar(entry)} ${q(entry.path)}`);
    if (entry.type !== 'symlink') {
      lines.push(`chmod ${mode(entry)} ${q(entry.path)}`);
    }
  }
  for (const entry of apply.dirsToFinish) {
    lines.push(`chown -- ${ownerVar(entry)} ${q(entry.path)}`, `chmod ${mode(entry)} ${q(entry.path)}`);
  }
  lines.push('sync', 'printf "ohtw-apply: done\\n"');
  return { text: `${lines.join('\n')}\n`, files };
}
