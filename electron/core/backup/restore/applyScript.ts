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
 * What every apply script starts with. `setmode` changes a directory's mode through a descriptor opened with
 * O_NOFOLLOW (perl is part of every Debian-family base system), so a symlink swapped in for the directory after any
 * test is never followed; without perl, links are skipped. Owners of links and directories change with `chown -h`,
 * which never follows either. Regular files get their owner and mode from the archive: tar sets them on the file it
 * created itself (fchown, fchmod), never through a path.
 */
export const APPLY_PRELUDE = [
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
  `setmode() { if command -v perl >/dev/null 2>&1; then perl -MFcntl -e 'sysopen(my $h, $ARGV[1], O_RDONLY | O_NOFOLLOW) or die "$ARGV[1]: $!\\n"; chmod(oct($ARGV[0]), $h) or die "$ARGV[1]: $!\\n"' "$1" "$2" || die "the mode of $2 was not set: it is not a plain directory now"; elif [ ! -L "$2" ]; then chmod "$1" -- "$2"; fi; }`,
];

/** Owners by name where the unit knows the name (a replacement board may number accounts differently), else by id. */
class OwnerVars {
  private readonly names = new Map<string, string>();

  constructor(private readonly lines: string[]) {}

  of(entry: TreeEntry): string {
    const key = `${entry.owner}\0${entry.uid}\0${entry.group}\0${entry.gid}`;
    let name = this.names.get(key);
    if (name === undefined) {
      name = `own${this.names.size}`;
      this.names.set(key, name);
      this.lines.push(`${name}="$(user_of ${q(entry.owner)} ${entry.uid}):$(group_of ${q(entry.group)} ${entry.gid})"`);
    }
    return `"$${name}"`;
  }
}

const mode = (entry: TreeEntry): string => entry.mode.toString(8).padStart(4, '0');

function fileLines(lines: string[], files: readonly ApplyFile[], guard: (path: string) => void): void {
  for (const { entry, temp } of files) {
    guard(entry.path);
    lines.push(`printf '%s\\n' ${q(temp)} >> "$staging/temps"`);
  }
  if (files.length === 0) {
    lines.push('cat > /dev/null');
    return;
  }
  // As root, tar gives each file the archive's owner (by name where the unit has it) and mode, through its descriptor.
  lines.push('tar -x -f - -C / --same-owner --same-permissions --no-overwrite-dir');
  for (const { entry, temp } of files) {
    lines.push(
      `[ -f ${q(temp)} ] && [ ! -L ${q(temp)} ] || die ${q(`the content of ${entry.path} did not arrive`)}`,
      `mv -f -T -- ${q(temp)} ${q(entry.path)}`,
    );
  }
}

/**
 * The script that applies a plan on the unit as root, reading the new files' content as a tar archive on stdin:
 * removals (deepest first), new directories, every file extracted under a temporary name in its own directory (its
 * owner and mode set by tar) and renamed over the old one, symlinks made aside and renamed, link owners fixed in
 * place, directories' own mode and owner last. Any failure stops it (set -e) and removes the temporary files.
 * Nothing is written through a symlink: every parent inside the scope is checked to be a plain directory first, and no
 * chown or chmod follows one.
 */
export function buildApplyScript(scope: RestoreScope, apply: ApplyPlan, transactionId: string): ApplyScript {
  const tag = transactionId.replace(/[^A-Za-z0-9]/g, '').slice(0, 12);
  const lines: string[] = [...APPLY_PRELUDE];
  const owners = new OwnerVars(lines);
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
  const files = apply.files.map((entry, i) => ({ entry, temp: `${posix.dirname(entry.path)}/.ohtw-${tag}-${i}` }));
  fileLines(lines, files, guard);
  apply.links.forEach((entry, i) => {
    const temp = `${posix.dirname(entry.path)}/.ohtw-${tag}-l${i}`;
    guard(entry.path);
    lines.push(
      `printf '%s\\n' ${q(temp)} >> "$staging/temps"`,
      `ln -s -- ${q(entry.linkTarget ?? '')} ${q(temp)}`,
      `chown -h -- ${owners.of(entry)} ${q(temp)}`,
      `mv -f -T -- ${q(temp)} ${q(entry.path)}`,
    );
  });
  // Regular files never come here (a changed mode or owner is sent again with the content): links only.
  for (const entry of apply.metadata) {
    guard(entry.path);
    lines.push(`chown -h -- ${owners.of(entry)} ${q(entry.path)}`);
  }
  for (const entry of apply.dirsToFinish) {
    lines.push(`chown -h -- ${owners.of(entry)} ${q(entry.path)}`, `setmode ${mode(entry)} ${q(entry.path)}`);
  }
  lines.push('sync', 'printf "ohtw-apply: done\\n"');
  return { text: `${lines.join('\n')}\n`, files };
}
