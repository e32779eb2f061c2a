import { INDEX_NAME, parseIndexFile } from '../store/chunkIndex';
import { ID_PATTERN } from '../store/manifests';
import type { SealedPack } from '../store/packs';
import type { ReplicaTarget } from './ReplicaTarget';

const PACK_NAME = /^[0-9a-f]{64}$/;

/** What a target holds, read once at the start of a push, a pull or a check. */
export type ReplicaView = {
  storeJson: Buffer | null;
  keyJson: Buffer | null;
  /** Packs its index files name, and the index files that could not be read (with why). */
  indexedPacks: Map<string, SealedPack>;
  damagedIndexes: [string, string][];
  /** The first indexed pack holding each chunk. */
  chunkPacks: Map<string, string>;
  /** Pack files on the target, with their sizes. */
  packFiles: Map<string, number>;
  /** Ids of the backups whose header is there, and of those whose file list is there. */
  headers: Set<string>;
  fileLists: Set<string>;
};

/** Paths in a store's layout, the same on a target as in the local store (see store/layout.ts). */
export const replicaPaths = {
  pack: (id: string): string => `packs/${id.slice(0, 2)}/${id}`,
  index: (name: string): string => `index/${name}`,
  header: (id: string): string => `manifests/${id}.json`,
  fileList: (id: string): string => `manifests/${id}.files.jsonl`,
};

export async function readReplica(target: ReplicaTarget): Promise<ReplicaView> {
  const view: ReplicaView = {
    storeJson: await target.readFile('store.json'),
    keyJson: await target.readFile('key.json'),
    indexedPacks: new Map(),
    damagedIndexes: [],
    chunkPacks: new Map(),
    packFiles: new Map(),
    headers: new Set(),
    fileLists: new Set(),
  };
  for (const entry of await target.list('index')) {
    if (!INDEX_NAME.test(entry.name)) {
      continue;
    }
    try {
      const text = (await target.readFile(replicaPaths.index(entry.name)))?.toString('utf8') ?? '';
      for (const pack of parseIndexFile(text, entry.name)) {
        view.indexedPacks.set(pack.id, pack);
        for (const chunk of pack.entries) {
          if (!view.chunkPacks.has(chunk.id)) {
            view.chunkPacks.set(chunk.id, pack.id);
          }
        }
      }
    } catch (error) {
      view.damagedIndexes.push([entry.name, error instanceof Error ? error.message : String(error)]);
    }
  }
  for (const sub of await target.list('packs')) {
    if (!sub.isDir) {
      continue;
    }
    for (const file of await target.list(`packs/${sub.name}`)) {
      if (PACK_NAME.test(file.name) && file.name.startsWith(sub.name)) {
        view.packFiles.set(file.name, file.size);
      }
    }
  }
  for (const file of await target.list('manifests')) {
    if (file.name.endsWith('.files.jsonl')) {
      view.fileLists.add(file.name.slice(0, -'.files.jsonl'.length));
    } else if (file.name.endsWith('.json')) {
      view.headers.add(file.name.slice(0, -'.json'.length));
    }
  }
  for (const set of [view.headers, view.fileLists]) {
    for (const id of [...set]) {
      if (!ID_PATTERN.test(id)) {
        set.delete(id);
      }
    }
  }
  return view;
}
