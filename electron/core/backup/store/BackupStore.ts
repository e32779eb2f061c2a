import type { Readable } from 'node:stream';

import type { BackupPull, BackupPush } from '../../../../shared/domain/backup';
import type { JsonValue } from '../../../../shared/errors/AppError';
import type { ReplicaTarget } from '../replica/ReplicaTarget';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';
import type { KeyProvider } from '../../ports/KeyProvider';

/**
 * The local backup store: one folder (`<dataDir>/backups`) shared by every unit.
 *
 * - Content-addressed: files are cut into content-defined chunks; a chunk's id is the SHA-256 of its plaintext (an
 *   HMAC under the store key for secret files, so an encrypted chunk never leaks a plaintext hash). The same bytes on
 *   thirty units are stored once.
 * - Packed: chunks are compressed (zlib, or stored raw when they do not shrink) and appended to pack files of a few
 *   MiB, each made durable with one fsync; the index names the pack, offset and length of every chunk. Streamed:
 *   memory stays bounded by a few chunks whatever the file size.
 * - Checked: a chunk is reused only while the store holds it as good. A verify, a read, a `check --read-data` or a
 *   full backup that finds it damaged moves it out of use (quarantined, never deleted), so the next backup that meets
 *   the same content writes it again and every backup sharing it is whole again.
 * - Secret files (`secret: true`) are encrypted at rest with AES-256-GCM under a key derived with scrypt from a
 *   passphrase. A key-check record makes a wrong passphrase fail at once with PASSPHRASE_WRONG; a secret without a
 *   passphrase fails with PASSPHRASE_MISSING. Nothing is written in either case.
 * - Crash-safe, even against SIGKILL: packs are written under a temporary name, fsynced and renamed; a commit writes
 *   the index of its packs, then the file list, then the header whose rename is the commit. A backup is listed only
 *   once its header exists; what an interrupted run leaves (temporary files, packs no index names) is named by `check`
 *   and removed by `prune`.
 * - Stores written by the one-file-per-chunk layout (`chunks/ab/<id>`) open and restore as they are: their chunks are
 *   read in place (and collected by prune once unreferenced); new chunks go to packs.
 * - A full disk (ENOSPC, EDQUOT) anywhere is an AppError DISK_FULL and leaves the store consistent.
 *
 * Errors are AppErrors: BACKUP_DAMAGED (content or manifest does not match its hashes), PASSPHRASE_MISSING,
 * PASSPHRASE_WRONG, DISK_FULL, UNSAFE_PATH (a path that is not absolute and normal), NOT_FOUND (no such backup or
 * path), CONFLICT (prune while a backup is being written, or a path added twice), VALIDATION.
 *
 * Opened with `openBackupStore(options: OpenBackupStoreOptions): Promise<BackupStore>` from `./openBackupStore`.
 */
export interface BackupStore {
  /** The folder this store lives in. */
  readonly dir: string;

  /**
   * Asks the key provider for the passphrase and checks it against the store's key-check record (creating the record
   * when the store has none yet). Call it before reading anything from a unit when the profile has secret files, so a
   * missing or wrong passphrase fails before any work. Idempotent; `addFile({secret: true})` and reads of secret
   * files call it themselves.
   */
  unlock(): Promise<void>;

  /** Starts a backup (or a pre-restore snapshot). Nothing is visible in `list` until `commit()` resolves. */
  beginBackup(input: BeginBackupInput): Promise<BackupWriter>;

  /** Committed backups, newest first; a unit name filters. Reads only the small manifest headers. */
  list(filter?: { unit?: string }): Promise<BackupSummary[]>;

  /**
   * The whole manifest, its integrity checked (BACKUP_DAMAGED otherwise). A backup with secret files needs the
   * passphrase (their SHA-256 values are sealed on disk): PASSPHRASE_MISSING / PASSPHRASE_WRONG otherwise.
   * NOT_FOUND for an unknown id.
   */
  getManifest(backupId: string): Promise<Manifest>;

  /**
   * The content of one regular file of a backup as a stream. Every chunk is checked against its id before its bytes
   * are pushed, and the whole file against its SHA-256 and size at the end; damage makes the stream fail with
   * BACKUP_DAMAGED (so a consumer writing to a temporary name and renaming on 'end' never installs damaged bytes).
   * NOT_FOUND when the backup or the path does not exist or is not a regular file.
   */
  openFile(backupId: string, path: string): Promise<Readable>;

  /**
   * Re-reads chunks and checks every hash. Without `sample`, every file is read in full. With `sample: n`, every
   * chunk's presence is still checked, but only n files chosen at random are read in full (`checkedFiles` says how
   * many). Damage is reported file by file; `ok` is true only when `problems` is empty. Without a passphrase, the plain
   * files are checked and each secret file is reported as 'passphrase-needed' (so `ok` is false: it was not checked);
   * a wrong passphrase is PASSPHRASE_WRONG. A damaged manifest is one 'manifest-damaged' problem with path ''.
   * NOT_FOUND for an unknown id.
   */
  verify(backupId: string, options?: { sample?: number }): Promise<VerifyResult>;

  /**
   * The whole store's health (restic's `check`): the configuration and key record, the index and the packs it names,
   * every committed manifest, that every chunk a manifest references is held and not quarantined, and what an
   * interrupted run left behind (named as notes; `prune` removes it). With `readData`, every byte of every pack and
   * legacy chunk file is read and every chunk decoded against its id (encrypted ones only with the passphrase); a
   * damaged chunk is quarantined as verify does. `ok` is false only for damage.
   */
  check(options?: { readData?: boolean }): Promise<CheckResult>;

  /**
   * Applies the retention rule to every unit, removes the backups it does not keep, then collects garbage (chunks no
   * committed manifest references, temporary files of interrupted runs). Refuses with CONFLICT while a backup is being
   * written into this store (by this or another process).
   *
   * Retention, per unit, on UTC calendar days and months:
   * - kind 'backup': the newest backup of each of the last `keepDaily` days that have backups is kept, and the newest
   *   backup of each of the last `keepMonthly` months that have backups; the newest backup of a unit is always kept.
   * - kind 'snapshot' (taken before a restore, so the restore can be rolled back): kept while younger than
   *   `keepSnapshotDays` (default 30), and the newest snapshot of each unit is always kept. Snapshots never count
   *   towards the daily and monthly slots, so a restore never pushes a real backup out.
   * `dryRun` reports what would go without removing anything.
   */
  prune(options: PruneOptions): Promise<PruneResult>;

  /** Sizes that show deduplication and compression at work. */
  stats(): Promise<StoreStats>;

  /**
   * Copies to a replica (a folder or an SFTP server) what it lacks: packs, index, manifests (header last); only the
   * unit's backups when named. Resumable, never overwrites, every copy read back and checked (see replicaPush.ts).
   */
  push(target: ReplicaTarget, unit?: string): Promise<BackupPush>;

  /** Brings a backup (by id, or a unit's newest) from a replica into this store, checked on the way (replicaPull.ts). */
  pull(target: ReplicaTarget, selector: string): Promise<BackupPull>;

  /** Aborts writers still open from this process and releases their locks. */
  close(): Promise<void>;
}

export type BackupKind = 'backup' | 'snapshot';

export type BackupProfileRef = {
  id: string;
  version: number | string;
  [key: string]: JsonValue;
};

export type BeginBackupInput = {
  /** The unit's name as the fleet knows it. */
  unit: string;
  profile: BackupProfileRef;
  kind: BackupKind;
  /** Free JSON kept with the backup: host key fingerprint, reason ('pre-restore', restoreOf), the unit's VERSION… */
  meta?: Record<string, JsonValue>;
  /**
   * A full backup: every chunk the store already holds is read back and checked against its id before it is reused
   * (a damaged one is quarantined and written again from the new content). Costs a read of what is reused.
   */
  recheckReused?: boolean;
};

export type FileType = 'file' | 'dir' | 'symlink';

/** One entry as read on the unit. `path` is absolute and normal (`/opt/oht50/.env`): no `.`, `..`, `//` or NUL. */
export type FileEntryInput = {
  path: string;
  type: FileType;
  /** Permission bits (with setuid/setgid/sticky), e.g. 0o640; not the file-type bits. */
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  mtimeMs: number;
  /** The size the unit reported; the stored size is what the content stream actually delivered. */
  size: number;
  /** For a symlink: where it points, exactly as read (the restore side judges it). */
  linkTarget?: string;
  /** Encrypt this file's content at rest (the backend `.env`, keys). */
  secret?: boolean;
};

export type AddFileResult = {
  /** SHA-256 of the plaintext content (of the empty string for dirs and symlinks). */
  sha256: string;
  /** Bytes the content stream delivered. */
  size: number;
  /** Plaintext bytes of chunks the store did not hold yet (0 for an unchanged file). */
  newBytes: number;
  /** Bytes actually written to disk for those chunks, after compression and encryption. */
  storedBytes: number;
};

export interface BackupWriter {
  /** The id the backup will have once committed. */
  readonly id: string;

  /**
   * Adds one entry. For a 'file', `content` is required and is consumed to its end (chunked, hashed, compressed,
   * encrypted when secret, written). Calls are serialized: a second call waits for the first. When the content stream
   * errors, its error is rethrown and the entry is not recorded; the writer stays usable (the caller decides whether
   * to abort). DISK_FULL, PASSPHRASE_MISSING, PASSPHRASE_WRONG, UNSAFE_PATH, CONFLICT (same path twice).
   */
  addFile(entry: FileEntryInput, content?: FileContent): Promise<AddFileResult>;

  /**
   * Records that a path of the unit was left out on purpose, and why (a name restore would refuse, a symlink pointing
   * out of the profile, a device file). Kept with the backup; the summary counts them.
   */
  skip(path: string, reason: string): Promise<void>;

  /**
   * Adds a regular file BY REFERENCE to the entry `from.path` of the committed backup `from.fromBackupId`, without
   * reading, hashing or writing any content: the new entry takes its metadata (mode, owner, times…) from `entry` and
   * its SHA-256, size and chunk list from the earlier entry. For that the caller must know the content is unchanged
   * (the unit's size and modification time match what the earlier backup recorded); the store checks only what is
   * cheap: the earlier backup is committed and its manifest intact, the entry is a regular file of `entry.size` bytes
   * with the same `secret` flag, and every chunk it names is still on disk (a stat each, nothing is read).
   *
   * Refused (`reused: false`, nothing recorded, the writer stays usable) when any of that does not hold: the caller
   * then adds the file with its content from the unit. A secret file's hash is sealed to its backup and path, so the
   * earlier one is opened and sealed again for the new backup (its passphrase is needed, as for addFile); its chunks,
   * encrypted under the same store key, are shared as they are.
   *
   * Safe against prune: the writer holds its lock from beginBackup to commit or abort, prune refuses to run while any
   * writer lock is live (and a writer refuses to begin while prune runs), and the manifest naming the reused chunks is
   * committed before the lock is released, so no chunk referenced here can be collected in between. The chunks belong
   * to a committed backup, whose commit made them durable before its manifest existed.
   *
   * Serialized with addFile. VALIDATION (not a regular file, invalid entry), UNSAFE_PATH, CONFLICT (same path twice),
   * PASSPHRASE_MISSING / PASSPHRASE_WRONG (a secret file).
   */
  reuseFile(entry: FileEntryInput, from: ReuseSource): Promise<ReuseFileResult>;

  /**
   * reuseFile for many files at once, with one result each in order (an unchanged re-backup of twenty thousand files
   * waits once, not twenty thousand times). A file that is refused is not recorded; the others are.
   */
  reuseFiles(items: readonly { entry: FileEntryInput; from: ReuseSource }[]): Promise<ReuseFileResult[]>;

  /** Extra JSON kept with the backup, e.g. 'rs485-parameters'. A name may be given once. */
  addAttachment(name: string, value: JsonValue): Promise<void>;

  /**
   * Makes the backup durable and visible, atomically (chunk directories fsynced, then the file list, then the header
   * whose rename is the commit). After this the writer is closed, whether it succeeded or not; DISK_FULL leaves
   * nothing listed.
   */
  commit(): Promise<BackupSummary>;

  /** Drops the backup; chunks it wrote are collected by the next prune. Safe to call at any time, even twice. */
  abort(): Promise<void>;
}

/** A file's content: a stream, or any source of byte chunks (the tar reader hands small files over whole). */
export type FileContent = Readable | AsyncIterable<Uint8Array>;

/** Where a file added by reference comes from: an entry of an earlier committed backup. */
export type ReuseSource = { fromBackupId: string; path: string };

/** Why a file could not be added by reference; the caller then reads it from the unit. */
export type ReuseRefusal =
  | 'backup-missing'
  | 'backup-damaged'
  | 'entry-missing'
  | 'not-a-file'
  | 'size-differs'
  | 'secret-differs'
  | 'chunk-missing'
  | 'chunk-quarantined';

export type ReuseFileResult =
  (AddFileResult & { reused: true }) | { reused: false; reason: ReuseRefusal; message: string };

export type BackupSummary = {
  id: string;
  unit: string;
  kind: BackupKind;
  /** When the backup began, ISO 8601 UTC. */
  createdAt: string;
  /** When it was committed. */
  completedAt: string;
  profile: BackupProfileRef;
  toolVersion: string;
  meta: Record<string, JsonValue>;
  /** Number of entries of every type. */
  files: number;
  /** Sum of the regular files' sizes. */
  bytes: number;
  newBytes: number;
  storedBytes: number;
  /** True when some files are encrypted (reading them needs the passphrase). */
  hasSecrets: boolean;
  /** Paths of the unit left out because they could not be restored safely (absent in older backups: none). */
  skipped?: number;
};

export type ChunkRef = {
  /** Hex SHA-256 of the chunk's plaintext; for a secret file an HMAC-SHA-256 under the store key. */
  id: string;
  /** Plaintext length. */
  size: number;
};

export type ManifestFile = {
  path: string;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  owner: string;
  group: string;
  mtimeMs: number;
  size: number;
  sha256: string;
  linkTarget?: string;
  secret: boolean;
  /** In order; empty for dirs, symlinks and empty files. */
  chunks: ChunkRef[];
};

export type SkippedPath = { path: string; reason: string };

export type Manifest = BackupSummary & {
  format: 1;
  /** In the order they were added. */
  entries: ManifestFile[];
  attachments: Record<string, JsonValue>;
  /** What was left out on purpose, and why. */
  skippedPaths: SkippedPath[];
};

export type VerifyProblemKind =
  'chunk-missing' | 'chunk-damaged' | 'content-mismatch' | 'manifest-damaged' | 'passphrase-needed';

export type VerifyProblem = {
  /** The file on the unit the problem hits ('' for the manifest itself). */
  path: string;
  problem: VerifyProblemKind;
  message: string;
  /** The damaged or missing chunk's id, when a chunk is at fault. */
  chunk?: string;
};

export type VerifyResult = {
  ok: boolean;
  checkedFiles: number;
  problems: VerifyProblem[];
  /**
   * Other committed backups that reference a damaged or missing chunk of this one (the same content is shared):
   * they are damaged too until a backup writes that content again.
   */
  sharedWith: string[];
  /** Chunks this verify found damaged and moved out of use. */
  quarantined: number;
};

export type CheckProblemKind = 'config' | 'key' | 'index' | 'pack' | 'manifest' | 'chunk';

export type CheckProblem = {
  kind: CheckProblemKind;
  /** What is at fault: a file of the store, a backup id, a chunk id. */
  subject: string;
  message: string;
  /** The committed backups it damages. */
  backups: string[];
};

export type CheckResult = {
  ok: boolean;
  readData: boolean;
  problems: CheckProblem[];
  /** Not damage: leftovers of interrupted runs, quarantined chunks already superseded, encrypted chunks not read. */
  notes: string[];
  /** Packs no committed backup needs (an interrupted or aborted backup wrote them): prune removes them. */
  unreferencedPacks: string[];
  counts: {
    backups: number;
    packs: number;
    chunks: number;
    legacyChunks: number;
    quarantined: number;
    /** Bytes read with readData. */
    readBytes: number;
  };
};

export type PruneOptions = {
  keepDaily: number;
  keepMonthly: number;
  keepSnapshotDays?: number;
  /** Defaults to the store's clock. */
  now?: number;
  dryRun?: boolean;
};

export type PruneResult = {
  removedBackups: string[];
  keptBackups: number;
  /** Chunks no longer referenced, whose pack (or legacy chunk file) was removed. */
  removedChunks: number;
  /** Pack files removed: every chunk in them unreferenced, or left by an interrupted run. */
  removedPacks: number;
  freedBytes: number;
};

export type StoreStats = {
  backups: number;
  units: number;
  chunks: number;
  /** Bytes of packs and chunk files on disk. */
  storedBytes: number;
  /** Sum of every committed backup's file sizes, as if each were stored in full. */
  logicalBytes: number;
  /** Plaintext bytes of the distinct chunks. */
  uniqueBytes: number;
};

export type OpenBackupStoreOptions = {
  /** The store folder, normally `<dataDir>/backups`; created when missing. */
  dir: string;
  clock: Clock;
  logger: Logger;
  keyProvider: KeyProvider;
  /**
   * Tests only: a cheaper scrypt (log2 N) for a store created here; every face creates stores at the default,
   * N = 2^17. An existing store keeps the parameters it records, within the bounds key records are read with.
   */
  kdfCost?: number;
  /** Tests only: the size at which a pack is closed (the default suits a laptop disk; see packs.ts). */
  packSize?: number;
  /**
   * Chunk sizes for a store created here, in bytes (avgSize a power of two); an existing store keeps the sizes it
   * records, since deduplication depends on them. The default is chosen with bench/backup-store.ts.
   */
  chunker?: { minSize: number; avgSize: number; maxSize: number };
  /** Tests only: the file-system writes go through this port so a full disk can be injected. */
  fs?: StoreFs;
};

/**
 * The few write operations the store makes, so tests can inject ENOSPC. `nodeStoreFs` (in storeFs.ts) is the real one.
 */
export interface StoreFs {
  /** Writes `data` to a new file at `path` (exclusive create), fsyncs it and closes it. */
  writeFileDurable(path: string, data: Uint8Array | readonly Uint8Array[]): Promise<void>;
  /** Creates a new file at `path` (exclusive) to be written sequentially: a pack being filled. */
  createAppendable(path: string): Promise<AppendableFile>;
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  fsyncDir(path: string): Promise<void>;
}

export interface AppendableFile {
  /** Appends every byte of `data` (a short write continues until an error says why). */
  append(data: Uint8Array): Promise<void>;
  /** fsync, then close. */
  syncAndClose(): Promise<void>;
  /** Closes without syncing and removes the file. */
  discard(): Promise<void>;
}
