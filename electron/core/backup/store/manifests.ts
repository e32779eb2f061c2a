import { readdir, readFile, rm, stat } from 'node:fs/promises';

import type { JsonValue } from '../../../../shared/errors/AppError';
import { AppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import type { BackupSummary, ManifestFile, SkippedPath } from './BackupStore';
import type { StoreLayout } from './layout';
import { damaged, sha256Hex } from './layout';
import { open, type StoreKeys } from './storeCrypto';
import { asDiskFull, isEnoent } from './storeFs';

/**
 * Committed backups: `manifests/<id>.files.jsonl` (one line per entry, attachment or skipped path) and
 * `manifests/<id>.json`, the header, whose summary and SHA-256 of the file list are checked on every read. The header
 * is renamed into place last: its presence is the commit.
 */
export type Header = { format: 1; summary: BackupSummary; filesSha256: string; filesCount: number; check: string };

/** An entry as stored: a secret file's SHA-256 is sealed under the store key. */
export type StoredEntry = Omit<ManifestFile, 'sha256'> & { sha256: string | null; sealedSha256?: string };

export type StoredLine =
  | { kind: 'entry'; entry: StoredEntry }
  | { kind: 'attachment'; name: string; value: JsonValue }
  | { kind: 'skipped'; path: string; reason: string };

export type RawManifest = {
  header: Header;
  entries: StoredEntry[];
  attachments: Record<string, JsonValue>;
  skipped: SkippedPath[];
};

export const ID_PATTERN = /^[0-9A-Za-z][0-9A-Za-z._-]{0,120}$/;
const MANIFEST_CACHE_SIZE = 4;

function headerCheck(h: Omit<Header, 'check' | 'format'>): string {
  return sha256Hex(JSON.stringify({ summary: h.summary, filesSha256: h.filesSha256, filesCount: h.filesCount }));
}

export function sealAad(backupId: string, path: string): string {
  return `sha256:${backupId}:${path}`;
}

export function notFound(id: string): AppError {
  return new AppError('NOT_FOUND', `No backup ${id}`, { details: { backupId: id } });
}

/** Splits a file list's text into its lines; throws on a line that is not JSON. */
export function parseFileList(text: string): Omit<RawManifest, 'header'> {
  const entries: StoredEntry[] = [];
  const attachments: Record<string, JsonValue> = {};
  const skipped: SkippedPath[] = [];
  for (const line of text.split('\n')) {
    if (line === '') {
      continue;
    }
    const parsed = JSON.parse(line) as StoredLine;
    if (parsed.kind === 'entry') {
      entries.push(parsed.entry);
    } else if (parsed.kind === 'attachment') {
      attachments[parsed.name] = parsed.value;
    } else if (parsed.kind === 'skipped') {
      skipped.push({ path: parsed.path, reason: parsed.reason });
    }
  }
  return { entries, attachments, skipped };
}

/** A manifest header's text, checked: its own check value and its id (BACKUP_DAMAGED otherwise). */
export function parseHeader(text: string, id: string): Header {
  let header: Header;
  try {
    header = JSON.parse(text) as Header;
  } catch (error) {
    throw damaged(`The manifest of backup ${id} is damaged`, { backupId: id }, error);
  }
  if (header.format !== 1 || header.check !== headerCheck(header) || header.summary?.id !== id) {
    throw damaged(`The manifest of backup ${id} is damaged`, { backupId: id });
  }
  return header;
}

export class Manifests {
  private readonly cache = new Map<string, { raw: RawManifest; stamp: string }>();
  /** Per manifest as read (the cached object), its entries by path: a restore or a reuse looks up thousands. */
  private readonly entryIndex = new WeakMap<RawManifest, Map<string, StoredEntry>>();

  constructor(
    private readonly layout: StoreLayout,
    private readonly logger: Logger,
  ) {}

  private headerPath(id: string): string {
    return this.layout.p('manifests', `${id}.json`);
  }

  private filesPath(id: string): string {
    return this.layout.p('manifests', `${id}.files.jsonl`);
  }

  /** Writes the file list, then the header whose rename is the commit; the folder is fsynced after. */
  async commit(summary: BackupSummary, lines: readonly StoredLine[]): Promise<void> {
    const jsonl = lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length > 0 ? '\n' : '');
    const body = { summary, filesSha256: sha256Hex(jsonl), filesCount: lines.length };
    const header: Header = { format: 1, ...body, check: headerCheck(body) };
    await this.layout.writeDurable(this.filesPath(summary.id), jsonl);
    // The header's rename is the commit: before it, the backup does not exist for list, prune or restore.
    await this.layout.writeDurable(this.headerPath(summary.id), `${JSON.stringify(header)}\n`);
    try {
      await this.layout.fs.fsyncDir(this.layout.p('manifests'));
    } catch (error) {
      throw asDiskFull(error, this.layout.dir);
    }
  }

  async readHeader(id: string): Promise<Header> {
    let text: string;
    try {
      text = await readFile(this.headerPath(id), 'utf8');
    } catch (error) {
      if (isEnoent(error)) {
        throw notFound(id);
      }
      throw error;
    }
    return parseHeader(text, id);
  }

  /**
   * A committed manifest never changes, so the last few read are kept (a restore opens thousands of files of one
   * backup); a hit still checks that both files are the same ones (size, time, inode), so a pruned or altered
   * manifest is read again from disk.
   */
  async read(id: string): Promise<RawManifest> {
    if (!ID_PATTERN.test(id)) {
      throw notFound(id);
    }
    const stamp = async (): Promise<string> => {
      const [h, f] = await Promise.all([stat(this.headerPath(id)), stat(this.filesPath(id))]);
      return `${h.size}:${h.mtimeMs}:${h.ino}:${f.size}:${f.mtimeMs}:${f.ino}`;
    };
    const cached = this.cache.get(id);
    if (cached !== undefined) {
      const now = await stamp().catch(() => null);
      if (now === cached.stamp) {
        return cached.raw;
      }
      this.cache.delete(id);
    }
    const before = await stamp().catch(() => null);
    const raw = await this.readUncached(id);
    if (before !== null) {
      this.cache.set(id, { raw, stamp: before });
    }
    while (this.cache.size > MANIFEST_CACHE_SIZE) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.cache.delete(oldest);
    }
    return raw;
  }

  /** Reads and checks a manifest from disk, never from the cache (verify and check want the disk's word). */
  async readUncached(id: string): Promise<RawManifest> {
    if (!ID_PATTERN.test(id)) {
      throw notFound(id);
    }
    this.cache.delete(id);
    const header = await this.readHeader(id);
    let text: string;
    try {
      text = await readFile(this.filesPath(id), 'utf8');
    } catch (error) {
      if (isEnoent(error)) {
        throw damaged(`The file list of backup ${id} is missing`, { backupId: id });
      }
      throw error;
    }
    if (sha256Hex(text) !== header.filesSha256) {
      throw damaged(`The file list of backup ${id} is damaged`, { backupId: id });
    }
    return { header, ...parseFileList(text) };
  }

  /** The first entry with this path, as `entries.find` would give it. */
  entryOf(raw: RawManifest, path: string): StoredEntry | undefined {
    let index = this.entryIndex.get(raw);
    if (index === undefined) {
      index = new Map();
      for (const e of raw.entries) {
        if (!index.has(e.path)) {
          index.set(e.path, e);
        }
      }
      this.entryIndex.set(raw, index);
    }
    return index.get(path);
  }

  /** Ids of the backups whose header is on disk (committed, possibly damaged). */
  async headerIds(): Promise<string[]> {
    const names = await readdir(this.layout.p('manifests'));
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => n.slice(0, -'.json'.length))
      .filter((id) => ID_PATTERN.test(id));
  }

  /** Committed backups, newest first; damaged headers are logged and left out. */
  async list(filter: { unit?: string } = {}): Promise<BackupSummary[]> {
    const out: BackupSummary[] = [];
    for (const id of await this.headerIds()) {
      try {
        const header = await this.readHeader(id);
        if (filter.unit === undefined || header.summary.unit === filter.unit) {
          out.push(header.summary);
        }
      } catch (error) {
        if (error instanceof AppError && error.code === 'NOT_FOUND') {
          continue; // pruned meanwhile
        }
        this.logger.warn('backup manifest unreadable; not listed', {
          backupId: id,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return out.sort((a, b) =>
      a.createdAt === b.createdAt ? (a.id < b.id ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1,
    );
  }

  /**
   * Visits every committed file list (damaged headers included: their chunks may still be wanted) with the chunk ids
   * it references, one backup at a time; `unreadable` names the file lists that could not be read (no chunk is safe
   * to remove then). File lists with no header (an interrupted commit) are `orphans`.
   */
  async scanReferences(
    visit: (backupId: string, chunkIds: readonly string[]) => void,
  ): Promise<{ unreadable: string[]; orphans: string[] }> {
    const names = await readdir(this.layout.p('manifests'));
    const headers = new Set(names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)));
    const unreadable: string[] = [];
    const orphans: string[] = [];
    for (const name of names) {
      if (!name.endsWith('.files.jsonl')) {
        continue;
      }
      const id = name.slice(0, -'.files.jsonl'.length);
      if (!headers.has(id)) {
        orphans.push(id);
        continue;
      }
      try {
        const { entries } = parseFileList(await readFile(this.filesPath(id), 'utf8'));
        visit(
          id,
          entries.flatMap((e) => e.chunks.map((c) => c.id)),
        );
      } catch (error) {
        if (!isEnoent(error)) {
          unreadable.push(id);
        }
      }
    }
    return { unreadable, orphans };
  }

  /** Committed backups that reference any of these chunks, but `except`. */
  async backupsReferencing(chunks: ReadonlySet<string>, except?: string): Promise<string[]> {
    const out: string[] = [];
    if (chunks.size > 0) {
      await this.scanReferences((id, refs) => {
        if (id !== except && refs.some((c) => chunks.has(c))) {
          out.push(id);
        }
      });
    }
    return out.sort();
  }

  /** Removes a backup: the header first, so from that instant it is gone for everyone. */
  async remove(id: string): Promise<void> {
    this.cache.delete(id);
    await rm(this.headerPath(id), { force: true });
    await rm(this.filesPath(id), { force: true });
  }

  /** Removes the file list of an interrupted commit (no header names it). */
  async removeOrphan(id: string): Promise<void> {
    await rm(this.filesPath(id), { force: true });
  }

  unseal(id: string, entry: StoredEntry, keys: StoreKeys): string {
    const opened =
      entry.sealedSha256 === undefined
        ? null
        : open(keys.enc, Buffer.from(entry.sealedSha256, 'base64'), sealAad(id, entry.path));
    if (opened === null) {
      throw damaged(`The sealed hash of ${entry.path} in backup ${id} does not open`, {
        backupId: id,
        path: entry.path,
      });
    }
    return opened.toString('utf8');
  }

  tryUnseal(id: string, entry: StoredEntry, keys: StoreKeys): string | null {
    try {
      return this.unseal(id, entry, keys);
    } catch {
      return null;
    }
  }
}
