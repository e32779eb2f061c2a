import { posix } from 'node:path';

import type { BackupProfile } from '../../../shared/domain/backup';
import type { Unit } from '../../../shared/domain/unit';
import { AppError } from '../../../shared/errors/AppError';
import { isUnder } from '../backup/profile/backupProfiles';

/**
 * The folders the Files tab may browse on a unit: its install folder and the roots of its backup profile (a root
 * with a glob, like the oht50 systemd units, as its folder), each once, none inside another.
 */
export function browseRoots(unit: Unit, profile: BackupProfile): string[] {
  const candidates = [
    unit.profile.installDir,
    ...profile.roots.map((root) => (/[*?]/.test(root.path) ? posix.dirname(root.path) : root.path)),
  ];
  const unique = [...new Set(candidates)];
  return unique.filter((root) => !unique.some((other) => other !== root && isUnder(root, other)));
}

/** Refuses a path outside the unit's roots: the Files tab is not a way around the profile. */
export function requireInRoots(unitName: string, roots: readonly string[], path: string): void {
  if (!roots.some((root) => isUnder(path, root))) {
    throw new AppError(
      'VALIDATION',
      `${unitName}: ${path} is outside the unit's folders (${roots.join(', ')}); the Files tab shows only those`,
      { details: { path, roots: [...roots] } },
    );
  }
}
