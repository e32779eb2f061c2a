import { Readable } from 'node:stream';

import type { BackupFileAccess } from '../ports/BackupFileAccess';
import type { BackupStore } from './store/BackupStore';

/** The backup store's side of the BackupFileAccess port, which the backup feature lends to the Files tab. */
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
