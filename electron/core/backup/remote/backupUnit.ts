import type { BackupProfile } from '../../../../shared/domain/backup';
import type { JsonValue } from '../../../../shared/errors/AppError';
import type { BackupStore, BackupSummary, Manifest, SkippedPath } from '../store/BackupStore';
import type { CommandChannel, StreamChannel } from '../../transport/transport';
import { enabledParts, secretMatcher } from '../profile/backupProfiles';
import { planIncremental, reuseUnchanged, type IncrementalPlan } from './backupPlan';
import { streamArchive } from './backupStream';
import { BackupSafety } from './entrySafety';

export type UnitBackupProgress = { files: number; bytes: number; path: string };

export type UnitBackupInput = {
  /** The unit's name: the store files the backup under it, and every message starts with it. */
  unit: string;
  connection: CommandChannel & StreamChannel;
  profile: BackupProfile;
  /**
   * The unit's previous backup: a regular file whose size and modification time are as it recorded them (and that
   * was not being modified around it) is added by reference to the previous backup's entry (its chunks are already in
   * the store: nothing is read, hashed or written again) instead of being read over the network; a file the store
   * will not reference (a chunk gone or quarantined, the backup pruned meanwhile) is read from the unit after all.
   */
  previous?: Manifest | undefined;
  /** A full backup: every chunk the store would reuse is read back and checked first (see BeginBackupInput). */
  recheckReused?: boolean;
  store: BackupStore;
  /** Kept with the backup: host, host key fingerprint, how the database was copied… */
  meta?: Record<string, JsonValue>;
  /** Extra JSON kept with the backup by name (the RS485 module parameters). */
  attachments?: Record<string, JsonValue>;
  signal?: AbortSignal;
  /** The unit sending nothing for this long stops the backup (300 s when absent). */
  idleTimeoutMs?: number;
  onProgress?: (progress: UnitBackupProgress) => void;
  /** Called once everything was read, before the backup is made durable. */
  onCommitting?: () => void;
};

export type UnitBackupOutcome = {
  summary: BackupSummary;
  /** Roots not on the unit, files changed while read, owners kept by number. */
  warnings: string[];
  /** Paths left out because a restore would refuse them, with the reason: the backup is then 'partial'. */
  skipped: SkippedPath[];
  /** How each database was copied (`/opt/oht50/backend/oht50.db: sqlite3`). */
  databases: string[];
  /** Regular files added by reference to the previous backup because they had not changed, and their bytes. */
  reused: { files: number; bytes: number };
};

const MAX_WARNINGS = 100;

/**
 * One backup of one unit, in two steps. Plan: with a previous backup, the unit is listed and the unchanged files are
 * added by reference. Stream: one SSH exec sends the database copies and everything else as one tar, each member
 * judged by the restore's safety rules and streamed into the store. Nothing is visible in the store until the
 * archive ended cleanly and the command exited well; any failure (a cut connection, a damaged archive, a full disk)
 * aborts the writer, so no partial backup is ever listed. A path a restore would refuse is left out and listed.
 */
export async function backupUnit(input: UnitBackupInput): Promise<UnitBackupOutcome> {
  const { roots, databases } = enabledParts(input.profile);
  const isSecret = secretMatcher(input.profile.secrets);
  const safety = new BackupSafety(input.profile);
  const warnings: string[] = [];
  const warn = (message: string): void => {
    if (warnings.length < MAX_WARNINGS) {
      warnings.push(message);
    }
  };
  if (input.profile.secrets.length > 0) {
    // A missing or wrong passphrase fails here, before anything is read from the unit.
    await input.store.unlock();
  }
  const plan: IncrementalPlan | undefined =
    input.previous === undefined
      ? undefined
      : await planIncremental({ ...input, previous: input.previous, roots, databases, isSecret, safety });
  plan?.absent.forEach((path) => warn(`${path}: not on the unit`));
  const writer = await input.store.beginBackup({
    unit: input.unit,
    profile: { id: input.profile.id, version: input.profile.version },
    kind: 'backup',
    meta: input.meta ?? {},
    ...(input.recheckReused === true ? { recheckReused: true } : {}),
  });
  const progress = { files: 0, bytes: 0 };
  const onFile = (path: string, bytes: number): void => {
    progress.files += 1;
    progress.bytes += bytes;
    input.onProgress?.({ ...progress, path });
  };
  try {
    const reuse = plan === undefined ? undefined : await reuseUnchanged(writer, plan, input.previous?.id ?? '', onFile);
    if (reuse?.refusedNote) {
      warn(reuse.refusedNote);
    }
    const streamed = await streamArchive({
      ...input,
      roots,
      databases,
      isSecret,
      safety,
      writer,
      request: reuse?.request,
      onFile,
    });
    streamed.warnings.forEach(warn);
    if (safety.numericOwners.length > 0) {
      warn(
        `${safety.numericOwners.length} path(s) have an owner name that is not a plain account name: kept by number`,
      );
    }
    for (const skipped of safety.skipped) {
      await writer.skip(skipped.path, skipped.reason);
    }
    if (warnings.length > 0) {
      await writer.addAttachment('backup-warnings', warnings);
    }
    for (const [name, value] of Object.entries(input.attachments ?? {})) {
      await writer.addAttachment(name, value);
    }
    input.onCommitting?.();
    const summary = await writer.commit();
    return {
      summary,
      warnings,
      skipped: safety.skipped,
      databases: streamed.databases,
      reused: { files: reuse?.files ?? 0, bytes: reuse?.bytes ?? 0 },
    };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}
