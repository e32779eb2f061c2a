import type { BackupProfile } from '../../../../shared/domain/backup';
import type { BackupWriter, FileEntryInput, Manifest, ManifestFile } from '../store/BackupStore';
import type { CommandChannel } from '../../transport/transport';
import { isUnder } from '../profile/backupProfiles';
import type { BackupSafety } from './entrySafety';
import { listRemote, type ListedEntry } from './remoteListing';

/** A file modified this close to the previous backup may have changed again within the same second. */
const SETTLE_SECONDS = 2;

type UnchangedFile = { entry: FileEntryInput };

/** What a backup with a previous one does: what it takes from the store, and what it asks the unit for. */
export type IncrementalPlan = {
  /** Paths the archive must bring, in the listing's order. */
  request: string[];
  /** Files to add by reference to the previous backup, in the listing's order. */
  unchanged: UnchangedFile[];
  /** Each listed path's place in the listing. */
  order: Map<string, number>;
  absent: string[];
};

export type PlanInput = {
  unit: string;
  connection: CommandChannel;
  previous: Manifest;
  roots: BackupProfile['roots'];
  databases: BackupProfile['databases'];
  isSecret: (path: string) => boolean;
  safety: BackupSafety;
  signal?: AbortSignal | undefined;
};

function isExcluded(path: string, excludes: readonly string[]): boolean {
  return excludes.some((exclude) => isUnder(path, exclude));
}

function unchangedEntry(listed: ListedEntry, before: ManifestFile): FileEntryInput {
  return {
    path: listed.path,
    type: 'file',
    mode: listed.mode,
    uid: listed.uid,
    gid: listed.gid,
    owner: before.uid === listed.uid ? before.owner : String(listed.uid),
    group: before.gid === listed.gid ? before.group : String(listed.gid),
    mtimeMs: listed.mtimeSeconds * 1000,
    size: listed.size,
    ...(before.secret ? { secret: true } : {}),
  };
}

/**
 * Lists the unit (one `find` through sudo) and splits it: a regular file whose size and whole-second modification
 * time are as the previous backup recorded them (and not modified around it) is unchanged; everything else is asked
 * of the unit. A path a restore would refuse is skipped here already, and never asked for.
 */
export async function planIncremental(input: PlanInput): Promise<IncrementalPlan> {
  const previous = new Map<string, ManifestFile>(input.previous.entries.map((e) => [e.path, e]));
  const previousAtSeconds = Date.parse(input.previous.createdAt) / 1000;
  const listing = await listRemote(input.connection, input.unit, input.roots, input.signal);
  const excludes = [
    ...input.roots.flatMap((r) => r.exclude),
    ...input.databases.flatMap((d) => ['', '-wal', '-shm', '-journal'].map((suffix) => `${d.path}${suffix}`)),
  ];
  const plan: IncrementalPlan = { request: [], unchanged: [], order: new Map(), absent: listing.absent };
  const isSame = (listed: ListedEntry, before: ManifestFile | undefined): before is ManifestFile =>
    before !== undefined &&
    before.type === 'file' &&
    listed.kind === 'f' &&
    before.size === listed.size &&
    before.mtimeMs === listed.mtimeSeconds * 1000 &&
    before.secret === input.isSecret(listed.path) &&
    Number.isFinite(previousAtSeconds) &&
    listed.mtimeExact < previousAtSeconds - SETTLE_SECONDS;
  for (const listed of listing.entries) {
    if (isExcluded(listed.path, excludes) || plan.order.has(listed.path)) {
      continue;
    }
    if (!input.safety.admitListed(listed.path, listed.kind)) {
      continue;
    }
    plan.order.set(listed.path, plan.order.size);
    const before = previous.get(listed.path);
    if (isSame(listed, before)) {
      plan.unchanged.push({ entry: unchangedEntry(listed, before) });
    } else {
      plan.request.push(listed.path);
    }
  }
  return plan;
}

export type ReuseOutcome = {
  /** What the archive must bring: the changed paths and any unchanged file the store would not reference. */
  request: string[];
  files: number;
  bytes: number;
  /** Why unchanged files were read from the unit after all (the first refusal), or null. */
  refusedNote: string | null;
};

/**
 * Adds the unchanged files by reference, in the listing's order, before the archive is asked for anything (so in the
 * manifest they come before the archive's members; restore orders by path, not by the manifest).
 */
export async function reuseUnchanged(
  writer: BackupWriter,
  plan: IncrementalPlan,
  fromBackupId: string,
  onFile: (path: string, bytes: number) => void,
): Promise<ReuseOutcome> {
  const refused: { path: string; why: string }[] = [];
  let files = 0;
  let bytes = 0;
  const outcomes = await writer.reuseFiles(
    plan.unchanged.map((item) => ({ entry: item.entry, from: { fromBackupId, path: item.entry.path } })),
  );
  outcomes.forEach((outcome, i) => {
    const path = plan.unchanged[i]?.entry.path ?? '';
    if (!outcome.reused) {
      refused.push({ path, why: outcome.message });
      return;
    }
    files += 1;
    bytes += outcome.size;
    onFile(path, outcome.size);
  });
  if (refused.length === 0) {
    return { request: plan.request, files, bytes, refusedNote: null };
  }
  const place = (path: string): number => plan.order.get(path) ?? 0;
  const count = `${refused.length} unchanged file${refused.length === 1 ? '' : 's'}`;
  return {
    request: [...plan.request, ...refused.map((r) => r.path)].sort((a, b) => place(a) - place(b)),
    files,
    bytes,
    refusedNote: `${count} read from the unit again: ${refused[0]?.why ?? ''}`,
  };
}
