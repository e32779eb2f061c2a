import { posix } from 'node:path';

import type { BackupProfile } from '../../../../shared/domain/backup';

/**
 * What a restore may touch on the unit: the backup profile's roots, minus what the profile leaves out, and which
 * services a change under a path restarts. Nothing outside the roots is ever written, changed or deleted.
 */
export type RestoreScope = {
  /**
   * Absolute, normal paths (a directory, a file or a symlink). The last segment may be a glob (`*`, `?`):
   * `/etc/systemd/system/oht50*.service` makes each match a root.
   */
  roots: string[];
  /** Paths under a root that the profile leaves out (the last segment may be a glob): never listed, written or deleted. */
  excludes: string[];
  /** A change at or under `path` (a root or a database) restarts `units` (in the profile's order, each once). */
  services: { path: string; units: string[] }[];
  /** Run `systemctl daemon-reload` before restarting when a change is under one of these (systemd unit files). */
  reloadPaths: string[];
};

const GLOB_SEGMENT = /^[A-Za-z0-9_@+,=.:*?-]+$/;
const hasGlob = (segment: string): boolean => /[*?]/.test(segment);

/** True when `text` holds a control character (NUL, newline, tab, DEL…): such a path is never acceptable. */
export function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/** An absolute path with no `.`, `..` or empty segments, no trailing slash, no control characters. */
export function isNormalAbsolute(path: string): boolean {
  if (!path.startsWith('/') || path === '/' || path.endsWith('/') || hasControl(path)) {
    return false;
  }
  return path
    .slice(1)
    .split('/')
    .every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

function segmentRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Whether `path` is `pattern` itself (a pattern with a glob in its last segment: one of its matches). */
export function matchesPattern(path: string, pattern: string): boolean {
  const last = posix.basename(pattern);
  if (!hasGlob(last)) {
    return path === pattern;
  }
  return posix.dirname(path) === posix.dirname(pattern) && segmentRegExp(last).test(posix.basename(path));
}

/** Whether `path` is at or below `pattern`. */
export function isAtOrUnder(path: string, pattern: string): boolean {
  for (let p = path; p !== '/' && p !== '.'; p = posix.dirname(p)) {
    if (matchesPattern(p, pattern)) {
      return true;
    }
  }
  return false;
}

/** The root `path` lies at or under, or null when it is outside the scope or in an excluded part. */
export function scopeRootFor(scope: RestoreScope, path: string): string | null {
  if (!isNormalAbsolute(path) || scope.excludes.some((ex) => isAtOrUnder(path, ex))) {
    return null;
  }
  return scope.roots.find((root) => isAtOrUnder(path, root)) ?? null;
}

export function inScope(scope: RestoreScope, path: string): boolean {
  return scopeRootFor(scope, path) !== null;
}

/**
 * Roots the workstation accepts at all: normal, absolute, at least two segments deep (never `/`, `/etc` or `/opt`
 * whole), a glob only in the last segment and with at least three literal characters.
 */
export function rootProblem(root: string): string | null {
  if (!isNormalAbsolute(root)) {
    return 'not an absolute, normal path';
  }
  const segments = root.slice(1).split('/');
  if (segments.length < 2) {
    return 'too close to / (a root names a folder or file at least two levels deep)';
  }
  if (segments.slice(0, -1).some(hasGlob)) {
    return 'a glob is allowed only in the last segment';
  }
  const last = segments[segments.length - 1] ?? '';
  if (hasGlob(last) && (!GLOB_SEGMENT.test(last) || last.replace(/[*?]/g, '').length < 3)) {
    return 'a glob must keep at least three literal characters';
  }
  return null;
}

/** The services a set of changed paths restarts, in the profile's order, each once; and whether to reload systemd. */
export function servicesFor(
  scope: RestoreScope,
  changedPaths: readonly string[],
): { units: string[]; reload: boolean } {
  const units: string[] = [];
  for (const rule of scope.services) {
    if (changedPaths.some((p) => isAtOrUnder(p, rule.path))) {
      for (const unit of rule.units) {
        if (!units.includes(unit)) {
          units.push(unit);
        }
      }
    }
  }
  const reload = changedPaths.some((p) => scope.reloadPaths.some((r) => isAtOrUnder(p, r)));
  return { units, reload };
}

const SYSTEMD_DIRS = ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'];
/** Files SQLite keeps beside a database: stale ones next to a restored database would be replayed into it. */
const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * The scope of a restore by a profile: its enabled roots and databases (a database's -wal, -shm and -journal files
 * too, so stale ones are removed with the old database and kept in the snapshot), the excludes, the services.
 */
export function scopeFromProfile(profile: BackupProfile): RestoreScope {
  const roots = profile.roots.filter((r) => r.enabled);
  const databases = profile.databases.filter((d) => d.enabled);
  const allRoots = [
    ...roots.map((r) => r.path),
    ...databases.flatMap((d) => [d.path, ...SQLITE_COMPANIONS.map((suffix) => `${d.path}${suffix}`)]),
  ];
  return {
    roots: [...new Set(allRoots)],
    excludes: roots.flatMap((r) => r.exclude),
    services: [
      ...roots.map((r) => ({ path: r.path, units: r.services })),
      ...databases.flatMap((d) =>
        [d.path, ...SQLITE_COMPANIONS.map((suffix) => `${d.path}${suffix}`)].map((path) => ({
          path,
          units: d.services,
        })),
      ),
    ],
    reloadPaths: allRoots.filter((r) => SYSTEMD_DIRS.some((dir) => r.startsWith(`${dir}/`))),
  };
}
