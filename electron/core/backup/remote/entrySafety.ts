import type { BackupProfile } from '../../../../shared/domain/backup';
import type { FileEntryInput, SkippedPath } from '../store/BackupStore';
import { entryProblem, isPlainAccountName, nonDirParent } from '../restore/pathSafety';
import { posix } from 'node:path';

import { hasControl, inScope, matchesPattern, scopeFromProfile, type RestoreScope } from '../restore/scope';

/** What a skipped path's reason says, in a technician's words, before the rule's own wording. */
function reasonFor(problem: string, path: string, type: string): string {
  if (hasControl(path)) {
    return 'its name holds a control character (a newline, an escape sequence…), which a restore refuses';
  }
  if (problem.includes('points out of the profile')) {
    return `a symlink that ${problem.replace(/^is a symlink that /, '')}, which a restore refuses`;
  }
  if (type !== 'file' && type !== 'dir' && type !== 'symlink') {
    return 'a device file, fifo or socket: never restored';
  }
  return `it ${problem.replace(/^is /, 'is ')}, which a restore refuses`;
}

/**
 * The restore's own safety rules (pathSafety.entryProblem), run while backing up: what a restore would refuse is left
 * out of the backup and listed with the reason, so a stored backup is always restorable. An owner or group name
 * that is not a plain account name is kept by its number instead (the file itself is restorable).
 */
export class BackupSafety {
  readonly scope: RestoreScope;
  readonly skipped: SkippedPath[] = [];
  /** Owners and groups recorded by number, for the backup's notes. */
  readonly numericOwners: string[] = [];
  private readonly kept = new Map<string, { path: string; type: string }>();
  /** Folders already judged in scope (and not left out): their members are judged by their own name only. */
  private readonly scopedDirs = new Set<string>();

  constructor(profile: BackupProfile) {
    this.scope = scopeFromProfile(profile);
  }

  /**
   * inScope, remembered per folder: an archive of twenty thousand files in a few hundred folders walks each
   * folder's ancestry once, not each file's.
   */
  private readonly isInScope = (path: string): boolean => {
    const dir = posix.dirname(path);
    if (this.scopedDirs.has(dir)) {
      return !this.scope.excludes.some((ex) => matchesPattern(path, ex));
    }
    const answer = inScope(this.scope, path);
    if (inScope(this.scope, dir)) {
      this.scopedDirs.add(dir);
    }
    return answer;
  };

  private skip(path: string, reason: string): null {
    this.skipped.push({ path, reason });
    return null;
  }

  /** The entry as it may be stored, or null when it is left out (and listed in `skipped`). */
  admit(entry: FileEntryInput | (Omit<FileEntryInput, 'type'> & { type: string })): FileEntryInput | null {
    const owned = this.plainOwners(entry);
    const problem = entryProblem(this.scope, owned as Parameters<typeof entryProblem>[1], this.isInScope);
    if (problem !== null) {
      return this.skip(entry.path, reasonFor(problem, entry.path, entry.type));
    }
    if (this.kept.has(entry.path)) {
      return this.skip(entry.path, 'the unit sent it twice; the first copy is kept');
    }
    const parent = nonDirParent(entry.path, this.kept);
    if (parent !== null) {
      return this.skip(
        entry.path,
        `it lies below ${parent.path}, a ${parent.type}: a restore never writes through one`,
      );
    }
    this.kept.set(entry.path, { path: entry.path, type: entry.type });
    return owned as FileEntryInput;
  }

  /**
   * Whether a listed path (before anything is read) may be asked for; one whose name or kind a restore refuses is
   * skipped now. Everything else (the scope, a link's target, owners) is judged when the archive brings it.
   */
  admitListed(path: string, kind: string): boolean {
    const type = kind === 'f' ? 'file' : kind === 'd' ? 'dir' : kind === 'l' ? 'symlink' : 'other';
    if (!hasControl(path) && type !== 'other') {
      return true;
    }
    this.skip(path, reasonFor('is a special file', path, type));
    return false;
  }

  private plainOwners<T extends { path: string; owner: string; group: string; uid: number; gid: number }>(entry: T): T {
    const owner = isPlainAccountName(entry.owner) ? entry.owner : String(entry.uid);
    const group = isPlainAccountName(entry.group) ? entry.group : String(entry.gid);
    if (owner !== entry.owner || group !== entry.group) {
      this.numericOwners.push(entry.path);
    }
    return { ...entry, owner, group };
  }
}
