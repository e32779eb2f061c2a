import type { JsonValue } from '../../../shared/errors/AppError';

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
