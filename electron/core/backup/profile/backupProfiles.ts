import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  BackupProfileSchema,
  type BackupProfile,
  type BackupProfileInput,
  type BackupProfileSource,
  type BackupProfileView,
} from '../../../../shared/domain/backup';
import { AppError } from '../../../../shared/errors/AppError';

/**
 * The backup profile is data: the shipped file (resources/backup/default-profile.json) never changes at run time; an
 * edited copy for the whole fleet lives in <dataDir>/backup-profiles/fleet.json, and one unit's own (a unit with a
 * different layout) in <dataDir>/backup-profiles/unit-<name>.json. The most specific one that exists is used.
 */

const SHIPPED_FILE = 'default-profile.json';
const USER_DIR = 'backup-profiles';
const FLEET_FILE = 'fleet.json';

/** The shipped profile in the application's resources folder (AppLayout.resourcesDir). */
export function shippedBackupProfilePath(resourcesDir: string): string {
  return join(resourcesDir, 'backup', SHIPPED_FILE);
}

export function userProfilePath(dataDir: string, unit: string | undefined): string {
  return join(dataDir, USER_DIR, unit === undefined ? FLEET_FILE : `unit-${unit}.json`);
}

/** Parses a profile file's text; a broken file is an error naming the file, never silently replaced by another. */
export function parseBackupProfile(text: string, file: string): BackupProfile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new AppError('VALIDATION', `backup profile ${file} is not JSON: ${(error as Error).message}`, {
      details: { file },
    });
  }
  const parsed = BackupProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new AppError(
      'VALIDATION',
      `backup profile ${file} is not valid: ${where ? `${where}: ` : ''}${issue?.message ?? 'unknown problem'}`,
      { details: { file } },
    );
  }
  const ids = new Set<string>();
  for (const root of parsed.data.roots) {
    if (ids.has(root.id)) {
      throw new AppError('VALIDATION', `backup profile ${file} names the root id "${root.id}" twice`, {
        details: { file },
      });
    }
    ids.add(root.id);
  }
  return parsed.data;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw new AppError('VALIDATION', `cannot read backup profile ${file}: ${(error as Error).message}`, {
      details: { file },
    });
  }
}

/** The profile a unit is backed up by (the fleet's when `unit` is undefined); `resourcesDir` holds the shipped one. */
export async function loadBackupProfile(
  dataDir: string,
  unit: string | undefined,
  resourcesDir: string,
): Promise<BackupProfileView> {
  const tiers: { source: BackupProfileSource; file: string }[] = [];
  if (unit !== undefined) {
    tiers.push({ source: 'unit', file: userProfilePath(dataDir, unit) });
  }
  tiers.push({ source: 'fleet', file: userProfilePath(dataDir, undefined) });
  for (const tier of tiers) {
    const text = await readIfPresent(tier.file);
    if (text !== undefined) {
      return { profile: parseBackupProfile(text, tier.file), source: tier.source, path: tier.file };
    }
  }
  const shipped = shippedBackupProfilePath(resourcesDir);
  const text = await readIfPresent(shipped);
  if (text === undefined) {
    throw new AppError('NOT_FOUND', `the shipped backup profile ${shipped} is missing from this installation`);
  }
  return { profile: parseBackupProfile(text, shipped), source: 'shipped', path: shipped };
}

/**
 * Saves an edited profile for the fleet or one unit (written aside and renamed, so a reader never sees half of it);
 * null removes that copy, so the next one up applies again. Returns what now applies.
 */
export async function saveBackupProfile(
  dataDir: string,
  unit: string | undefined,
  profile: BackupProfileInput | null,
  resourcesDir: string,
): Promise<BackupProfileView> {
  const file = userProfilePath(dataDir, unit);
  if (profile === null) {
    await rm(file, { force: true });
    return loadBackupProfile(dataDir, unit, resourcesDir);
  }
  const text = `${JSON.stringify(profile, null, 2)}\n`;
  const checked = parseBackupProfile(text, file);
  await mkdir(join(dataDir, USER_DIR), { recursive: true });
  const draft = `${file}.${process.pid}.draft`;
  await writeFile(draft, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o644 });
  await rename(draft, file);
  return loadBackupProfile(dataDir, unit, resourcesDir);
}

/** `*` within one path component, `**` across components, `?` one character; anchored at both ends. */
export function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    if (pattern.startsWith('/**/', i)) {
      // "/**/x" is x at any depth, directly below included.
      source += '(?:/|/.*/)';
      i += 3;
    } else if (pattern.startsWith('**', i)) {
      source += '.*';
      i += 1;
    } else if (pattern[i] === '*') {
      source += '[^/]*';
    } else if (pattern[i] === '?') {
      source += '[^/]';
    } else {
      source += (pattern[i] as string).replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Whether a file is a secret by the profile (encrypted in the store). */
export function secretMatcher(patterns: readonly string[]): (path: string) => boolean {
  const regexps = patterns.map(globToRegExp);
  return (path) => regexps.some((r) => r.test(path));
}

/** True if `path` is `root` or lies below it; a root with a glob in its last component matches by that component. */
export function isUnder(path: string, root: string): boolean {
  if (/[*?]/.test(root)) {
    const depth = root.split('/').length;
    return globToRegExp(root).test(path.split('/').slice(0, depth).join('/'));
  }
  return path === root || path.startsWith(`${root}/`);
}

/**
 * The systemd units to restart after `paths` changed: those the profile ties to the roots and databases holding
 * them, in the profile's order, each once.
 */
export function servicesForPaths(profile: BackupProfile, paths: readonly string[]): string[] {
  const out: string[] = [];
  const add = (services: readonly string[]): void => {
    for (const service of services) {
      if (!out.includes(service)) {
        out.push(service);
      }
    }
  };
  for (const root of profile.roots) {
    if (paths.some((p) => isUnder(p, root.path))) {
      add(root.services);
    }
  }
  for (const database of profile.databases) {
    if (paths.some((p) => p === database.path)) {
      add(database.services);
    }
  }
  return out;
}

/** The roots and databases a backup by this profile reads (the disabled ones left out). */
export function enabledParts(profile: BackupProfile): {
  roots: BackupProfile['roots'];
  databases: BackupProfile['databases'];
} {
  return {
    roots: profile.roots.filter((r) => r.enabled),
    databases: profile.databases.filter((d) => d.enabled),
  };
}
