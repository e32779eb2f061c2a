import type { BackupCheck } from '../../../../shared/domain/backup';
import { AppError } from '../../../../shared/errors/AppError';
import { sha256Hex } from '../store/layout';
import { parseFileList, parseHeader } from '../store/manifests';
import { parseTrailer } from '../store/packs';
import { sha256Of, type ReplicaTarget } from './ReplicaTarget';
import { readReplica, replicaPaths, type ReplicaView } from './replicaView';

type Problem = BackupCheck['problems'][number];

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Each backup's chunk ids, read from the target's file lists; a damaged manifest is a problem of its own. */
async function readManifests(
  target: ReplicaTarget,
  view: ReplicaView,
  problems: Problem[],
): Promise<Map<string, string[]>> {
  const chunksOf = new Map<string, string[]>();
  for (const id of view.headers) {
    try {
      const header = parseHeader((await target.readFile(replicaPaths.header(id)))?.toString('utf8') ?? '', id);
      const files = await target.readFile(replicaPaths.fileList(id));
      if (files === null || sha256Hex(files) !== header.filesSha256) {
        throw new Error(`the file list of backup ${id} is ${files === null ? 'missing' : 'damaged'}`);
      }
      const { entries } = parseFileList(files.toString('utf8'));
      chunksOf.set(
        id,
        entries.flatMap((e) => e.chunks.map((c) => c.id)),
      );
    } catch (error) {
      problems.push({ kind: 'manifest', subject: id, message: messageOf(error), backups: [id] });
    }
  }
  return chunksOf;
}

/** Why a pack at the target cannot be trusted, or null: its size, and with readData its SHA-256 and trailer. */
async function packProblem(
  target: ReplicaTarget,
  view: ReplicaView,
  id: string,
  bytes: number,
  readData: boolean,
  counts: { readBytes: number },
): Promise<string | null> {
  const size = view.packFiles.get(id);
  if (size === undefined) {
    return 'missing at the target';
  }
  if (size !== bytes) {
    return `has ${size} bytes, the index says ${bytes}`;
  }
  if (!readData) {
    return null;
  }
  const data = await target.readFile(replicaPaths.pack(id));
  counts.readBytes += data?.length ?? 0;
  if (data === null || sha256Of(data) !== id) {
    return 'does not match its SHA-256 (damaged)';
  }
  try {
    parseTrailer(data);
  } catch (error) {
    return `its trailer is unreadable (${messageOf(error)})`;
  }
  return null;
}

function holdsNothing(view: ReplicaView): boolean {
  return (
    view.storeJson === null &&
    view.keyJson === null &&
    view.indexedPacks.size === 0 &&
    view.damagedIndexes.length === 0 &&
    view.packFiles.size === 0 &&
    view.headers.size === 0 &&
    view.fileLists.size === 0
  );
}

/**
 * `backups check --at TARGET`: the replica's health, read through the target (a folder or SFTP) without a key:
 * its configuration, index files, every pack the index names (present, its size; with readData every byte against
 * its SHA-256), every manifest against its hashes, and every chunk a backup references held by an indexed pack.
 * Nothing at the target is changed: a damaged pack is named with the backups it affects; pushing again from a
 * store holding a good copy, after the damaged file is moved away, repairs it.
 */
export async function checkReplica(target: ReplicaTarget, options: { readData?: boolean } = {}): Promise<BackupCheck> {
  const readData = options.readData === true;
  const view = await readReplica(target);
  const problems: Problem[] = [];
  const notes: string[] = [];
  if (holdsNothing(view)) {
    // A wrong folder or URL is not a damaged replica: say so instead of listing the missing store.json as damage.
    throw new AppError(
      'NOT_FOUND',
      `${target.description} holds no backup replica (no store.json, index, pack or manifest): was anything pushed there?`,
    );
  }
  if (view.storeJson === null) {
    problems.push({ kind: 'config', subject: 'store.json', message: 'missing: not a backup replica', backups: [] });
  }
  if (view.keyJson === null) {
    notes.push('no key.json: no backup with secret files was pushed here');
  }
  for (const [name, why] of view.damagedIndexes) {
    problems.push({ kind: 'index', subject: `index/${name}`, message: why, backups: [] });
  }
  const chunksOf = await readManifests(target, view, problems);
  const backupsOfPack = (pack: string): string[] => {
    const held = new Set(view.indexedPacks.get(pack)?.entries.map((e) => e.id));
    return [...chunksOf].filter(([, chunks]) => chunks.some((c) => held.has(c))).map(([id]) => id);
  };
  const counts = { readBytes: 0 };
  for (const pack of view.indexedPacks.values()) {
    const why = await packProblem(target, view, pack.id, pack.bytes, readData, counts);
    if (why !== null) {
      problems.push({ kind: 'pack', subject: pack.id, message: `pack ${why}`, backups: backupsOfPack(pack.id) });
    }
  }
  for (const [id, chunks] of chunksOf) {
    const missing = chunks.find((c) => !view.chunkPacks.has(c));
    if (missing !== undefined) {
      problems.push({ kind: 'chunk', subject: missing, message: 'held by no indexed pack', backups: [id] });
    }
  }
  const unreferencedPacks = [...view.packFiles.keys()].filter((p) => !view.indexedPacks.has(p)).sort();
  if (unreferencedPacks.length > 0) {
    notes.push(
      `${unreferencedPacks.length} pack(s) no index names, left by an interrupted push (the next push uses them)`,
    );
  }
  const orphans = [...view.fileLists].filter((id) => !view.headers.has(id));
  if (orphans.length > 0) {
    notes.push(`${orphans.length} file list(s) of interrupted pushes, never listed`);
  }
  return {
    ok: problems.length === 0,
    readData,
    problems,
    notes,
    unreferencedPacks,
    counts: {
      backups: view.headers.size,
      packs: view.indexedPacks.size,
      chunks: view.chunkPacks.size,
      legacyChunks: 0,
      quarantined: 0,
      readBytes: counts.readBytes,
    },
  };
}
