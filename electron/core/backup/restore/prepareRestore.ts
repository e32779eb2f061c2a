import { BackupProfileSchema, type BackupProfile } from '../../../../shared/domain/backup';
import type { Unit } from '../../../../shared/domain/unit';
import { AppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { HistoryRepository } from '../../history/HistoryRepository';
import { globToRegExp } from '../profile/backupProfiles';
import type { BackupStore, Manifest } from '../store/BackupStore';
import { assertSafeManifest, entryProblem } from './pathSafety';
import { scopeFromProfile, type RestoreScope } from './scope';
import type { TreeEntry } from './tree';

export type RestoreRequest = { name: string; backupId: string; replacement: boolean };

/** Everything a plan needs, computed against the unit as it is now. */
export type Prepared = {
  unit: Unit;
  manifest: Manifest;
  scope: RestoreScope;
  target: TreeEntry[];
  isSecret: (path: string) => boolean;
  hostKey: { pinned: string | null; atBackup: string | null };
  replacement: boolean;
};

export type PrepareDeps = {
  history: HistoryRepository;
  store: () => Promise<BackupStore>;
  profileFor: (unit: string) => Promise<BackupProfile>;
};

const str = (value: JsonValue | undefined): string | null => (typeof value === 'string' && value !== '' ? value : null);

function targetEntries(manifest: Manifest): TreeEntry[] {
  return manifest.entries.map((e) => ({
    path: e.path,
    type: e.type,
    mode: e.mode,
    uid: e.uid,
    gid: e.gid,
    owner: e.owner,
    group: e.group,
    size: e.type === 'file' ? e.size : 0,
    sha256: e.type === 'file' ? e.sha256 : '',
    linkTarget: e.linkTarget,
  }));
}

/**
 * The unit's current entries a restore may touch. What a backup never holds because a restore refuses it (a symlink
 * pointing out of the profile; names with control characters are dropped by the listing already) is left exactly as
 * it is: never deleted, never copied into the snapshot. `leftAlone` names it for the plan's notes.
 */
export function touchable(
  scope: RestoreScope,
  current: readonly TreeEntry[],
): { entries: TreeEntry[]; leftAlone: string[] } {
  const entries: TreeEntry[] = [];
  const leftAlone: string[] = [];
  for (const entry of current) {
    const problem = entry.type === 'other' ? null : entryProblem(scope, entry);
    if (problem === null) {
      entries.push(entry);
    } else {
      leftAlone.push(`${entry.path} ${problem}`);
    }
  }
  return { entries, leftAlone };
}

/** A backup's own profile may be narrower than the workstation's, never wider: every root must be one it knows. */
function assertKnownRoots(unit: Unit, scope: RestoreScope, current: BackupProfile): void {
  const known = scopeFromProfile({
    ...current,
    roots: current.roots.map((r) => ({ ...r, enabled: true })),
    databases: current.databases.map((d) => ({ ...d, enabled: true })),
  });
  for (const root of scope.roots) {
    if (!known.roots.includes(root)) {
      throw new AppError(
        'UNSAFE_PATH',
        `the backup is refused: its profile names the root ${JSON.stringify(root)}, which the workstation's profile for ${unit.name} does not have; nothing was written`,
        { details: { path: root } },
      );
    }
  }
}

/** The profile the backup was taken with (recorded in it), or the one in force when that is the same. */
function profileOf(manifest: Manifest, current: BackupProfile): BackupProfile {
  const recorded = BackupProfileSchema.safeParse(manifest.profile);
  if (recorded.success) {
    return recorded.data;
  }
  if (manifest.profile.id !== current.id || String(manifest.profile.version) !== String(current.version)) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `backup ${manifest.id} was taken with profile ${manifest.profile.id} v${String(manifest.profile.version)}, which is not the profile in force (${current.id} v${current.version}) and not recorded in the backup`,
      { details: { backupId: manifest.id } },
    );
  }
  return current;
}

/** Whether the unit's host key was re-pinned (a replaced board) after `since`. */
function repinnedSince(history: HistoryRepository, unit: string, since: string): boolean {
  return history
    .listAudit({ unit, limit: 200 })
    .some((entry) => entry.action === 'hostkey.repin' && entry.outcome === 'ok' && entry.at > since);
}

function assertHostKey(deps: PrepareDeps, unit: Unit, manifest: Manifest, replacement: boolean): Prepared['hostKey'] {
  const pinned = unit.hostKey?.fingerprint ?? null;
  const atBackup = str(manifest.meta.hostKeyFingerprint) ?? str(manifest.meta.hostKey);
  const keyChanged = atBackup !== null && pinned !== null && atBackup !== pinned;
  const repinned = repinnedSince(deps.history, unit.name, manifest.createdAt);
  if ((keyChanged || (atBackup === null && repinned)) && !replacement) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${unit.name} presents a different host key than when backup ${manifest.id} was taken (a replacement board?). Restoring onto a replacement board is explicit: pin its key with ohtw units trust ${unit.name} --fingerprint SHA256:… (read on the vehicle), then restore with --replacement`,
      { details: { unit: unit.name, pinned, atBackup } },
    );
  }
  if (replacement && pinned === null) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${unit.name}: trust the replacement board's host key first (ohtw units trust ${unit.name} --fingerprint SHA256:…)`,
      { details: { unit: unit.name } },
    );
  }
  return { pinned, atBackup };
}

/** Checks the backup against the unit, the profile and the host key; refuses before anything is read from the unit. */
export async function prepareRestore(deps: PrepareDeps, request: RestoreRequest): Promise<Prepared> {
  const unit = deps.history.getUnit(request.name);
  if (!unit) {
    throw new AppError('NOT_FOUND', `unit ${request.name} not found (see: ohtw units list)`, {
      details: { unit: request.name },
    });
  }
  const manifest = await (await deps.store()).getManifest(request.backupId);
  if (manifest.unit !== unit.name) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `backup ${manifest.id} is of unit ${manifest.unit}, not ${unit.name}: a backup is restored only onto its own unit (a replaced board keeps the unit's name: ohtw restore ${manifest.unit} ${manifest.id} --replacement)`,
      { details: { unit: unit.name, backupUnit: manifest.unit } },
    );
  }
  const current = await deps.profileFor(unit.name);
  const profile = profileOf(manifest, current);
  const scope = scopeFromProfile(profile);
  assertKnownRoots(unit, scope, current);
  const target = targetEntries(manifest);
  assertSafeManifest(scope, target);
  const secrets = new Set(manifest.entries.filter((e) => e.secret).map((e) => e.path));
  const secretPatterns = profile.secrets.map(globToRegExp);
  const isSecret = (path: string): boolean => secrets.has(path) || secretPatterns.some((p) => p.test(path));
  const hostKey = assertHostKey(deps, unit, manifest, request.replacement);
  return { unit, manifest, scope, target, isSecret, hostKey, replacement: request.replacement };
}
