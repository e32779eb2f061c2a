import { AppError } from '../../../../shared/errors/AppError';
import type { JsonValue } from '../../../../shared/errors/AppError';
import type { BackupProfileRef, BackupStore, FileEntryInput } from '../store/BackupStore';
import type { RemoteShell } from './remoteShell';
import { readTar } from './tar';
import type { TreeEntry } from './tree';

export type Snapshot = { id: string; entries: TreeEntry[] };

function entryInput(entry: TreeEntry, secret: boolean): FileEntryInput {
  if (entry.type === 'other') {
    throw new AppError('INTERNAL', `${entry.path} is not a file, directory or symlink`);
  }
  return {
    path: entry.path,
    type: entry.type,
    mode: entry.mode,
    uid: entry.uid,
    gid: entry.gid,
    owner: entry.owner,
    group: entry.group,
    mtimeMs: 0,
    size: entry.size,
    ...(entry.linkTarget !== undefined ? { linkTarget: entry.linkTarget } : {}),
    ...(secret ? { secret: true } : {}),
  };
}

/**
 * Copies the unit's current tree (as listed, inside the restore's scope) into the local store as a 'snapshot', so the
 * restore can be undone: directories and symlinks from the listing, files' content read as root in one tar stream.
 * The stored SHA-256 and size of each file are what a rollback puts back. Fails (and leaves nothing listed) if a file
 * vanished or could not be read.
 */
export async function takeSnapshot(
  shell: RemoteShell,
  store: BackupStore,
  input: {
    unit: string;
    profile: BackupProfileRef;
    entries: readonly TreeEntry[];
    isSecret: (path: string) => boolean;
    meta: Record<string, JsonValue>;
  },
  onFile?: (done: number, total: number) => void,
): Promise<Snapshot> {
  const writer = await store.beginBackup({
    unit: input.unit,
    profile: input.profile,
    kind: 'snapshot',
    meta: input.meta,
  });
  try {
    const kept: TreeEntry[] = [];
    const files = new Map<string, TreeEntry>();
    for (const entry of input.entries) {
      if (entry.type === 'dir' || entry.type === 'symlink') {
        await writer.addFile(entryInput(entry, false));
        kept.push(entry);
      } else if (entry.type === 'file') {
        files.set(entry.path.slice(1), entry);
      }
    }
    let done = 0;
    if (files.size > 0) {
      const list = Buffer.from([...files.keys()].map((name) => `${name}\0`).join(''));
      const result = await shell.read(
        'tar -c -f - -C / --no-recursion --null -T -',
        list,
        (stdout) =>
          readTar(stdout, async (name, _size, content) => {
            const entry = files.get(name);
            if (entry === undefined) {
              content.resume();
              await new Promise((resolve) => content.once('end', resolve));
              return;
            }
            const added = await writer.addFile(entryInput(entry, input.isSecret(entry.path)), content);
            kept.push({ ...entry, sha256: added.sha256, size: added.size });
            files.delete(name);
            done += 1;
            onFile?.(done, done + files.size);
          }),
        { sudo: true, idleTimeoutMs: 300_000 },
      );
      if (result.exitCode !== 0) {
        throw new AppError(
          'COMMAND_FAILED',
          `reading the unit's files for the snapshot failed (tar exit ${String(result.exitCode)}): ${result.stderr.trim().slice(0, 300)}`,
        );
      }
      if (files.size > 0) {
        throw new AppError('COMMAND_FAILED', `the snapshot is missing /${[...files.keys()][0] ?? ''}`);
      }
    }
    const summary = await writer.commit();
    return { id: summary.id, entries: kept };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
