import { Readable } from 'node:stream';

import type { JsonValue } from '../../../shared/errors/AppError';
import type { BackupStore } from './store/BackupStore';

/** A file as read on the unit, about to be changed: what the store keeps of it. */
export type FileCopyInput = {
  unit: string;
  entry: { path: string; mode: number; uid: number; gid: number; owner: string; group: string; mtimeMs: number };
  content: Buffer;
  /** Encrypted in the store (the profile names it a secret, as the backend .env is). */
  secret: boolean;
  meta: Record<string, JsonValue>;
};

export type StoredFileVersion = { backupId: string; unit: string; takenAt: string; content: Buffer | null };

/** One-file backups and single files of any backup, for features that change or compare one file at a time. */
export type BackupFileAccess = {
  /** Keeps the file in the store as a backup of its own (a snapshot, kept like a restore's); answers its id. */
  keepCopy(input: FileCopyInput): Promise<{ backupId: string; takenAt: string }>;
  /** The file's content in a backup, at most `maxBytes`; null content when the backup has no such regular file. */
  read(backupId: string, path: string, maxBytes: number): Promise<StoredFileVersion>;
};

export function backupFileAccess(store: () => Promise<BackupStore>): BackupFileAccess {
  return {
    async keepCopy(input) {
      const opened = await store();
      const writer = await opened.beginBackup({
        unit: input.unit,
        // Not a profile of the workstation's: a restore refuses it, the Files tab puts the file back instead.
        profile: { id: 'single-file', version: 1, path: input.entry.path },
        kind: 'snapshot',
        meta: input.meta,
      });
      try {
        await writer.addFile(
          { ...input.entry, type: 'file', size: input.content.length, ...(input.secret ? { secret: true } : {}) },
          Readable.from([input.content]),
        );
        const summary = await writer.commit();
        return { backupId: summary.id, takenAt: summary.createdAt };
      } catch (error) {
        await writer.abort();
        throw error;
      }
    },
    async read(backupId, path, maxBytes) {
      const opened = await store();
      const manifest = await opened.getManifest(backupId);
      const base = { backupId, unit: manifest.unit, takenAt: manifest.createdAt };
      if (!manifest.entries.some((entry) => entry.path === path && entry.type === 'file')) {
        return { ...base, content: null };
      }
      const stream = await opened.openFile(backupId, path);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= maxBytes) {
          stream.destroy();
          break;
        }
      }
      return { ...base, content: Buffer.concat(chunks).subarray(0, maxBytes) };
    },
  };
}
