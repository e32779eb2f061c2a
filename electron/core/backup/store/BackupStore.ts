import type { Readable } from 'node:stream';

import type { JsonValue } from '../../../../shared/errors/AppError';
import type { Clock } from '../../ports/Clock';
import type { Logger } from '../../ports/Logger';

/**
 * The local backup store: one folder (`<dataDir>/backups`) shared by every unit.
 *
 * - Content-addressed: files are cut into content-defined chunks; a chunk's id is the SHA-256 of its plaintext (an
 *   HMAC under the store key for secret files, so an encrypted chunk never leaks a plaintext hash). The same bytes on
 *   thirty units are stored once.
 * - Compressed with zlib per chunk (a chunk that does not shrink is stored raw) and streamed: memory stays bounded by a
 *   few chunks whatever the file size.
 * - Secret files (`secret: true`) are encrypted at rest with AES-256-GCM under a key derived with scrypt from a
 *   passphrase. A key-check record makes a wrong passphrase fail at once with PASSPHRASE_WRONG; a secret without a
 *   passphrase fails with PASSPHRASE_MISSING. Nothing is written in either case.
 * - Crash-safe: chunk files are written to a temporary name, fsynced and renamed; a backup's manifest is written last,
 *   and a backup is listed only once its manifest exists. Garbage from an interrupted run is removed by `prune`.
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
  addFile(entry: FileEntryInput, content?: Readable): Promise<AddFileResult>;

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
  | 'chunk-missing';

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

export type Manifest = BackupSummary & {
  format: 1;
  /** In the order they were added. */
  entries: ManifestFile[];
  attachments: Record<string, JsonValue>;
};

export type VerifyProblemKind =
  'chunk-missing' | 'chunk-damaged' | 'content-mismatch' | 'manifest-damaged' | 'passphrase-needed';

export type VerifyProblem = {
  /** The file on the unit the problem hits ('' for the manifest itself). */
  path: string;
  problem: VerifyProblemKind;
  message: string;
};

export type VerifyResult = {
  ok: boolean;
  checkedFiles: number;
  problems: VerifyProblem[];
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
  removedChunks: number;
  freedBytes: number;
};

export type StoreStats = {
  backups: number;
  units: number;
  chunks: number;
  /** Bytes of chunk files on disk. */
  storedBytes: number;
  /** Sum of every committed backup's file sizes, as if each were stored in full. */
  logicalBytes: number;
  /** Plaintext bytes of the distinct chunks. */
  uniqueBytes: number;
};

/**
 * Where the store passphrase comes from. `getPassphrase` is asked lazily (only when a secret is written or read, or
 * `unlock` is called), once per store object, and again only after a failure; null means none is configured.
 */
export interface KeyProvider {
  /** For messages: 'OHTW_PASSPHRASE', 'passphrase file /x', 'OS keychain'. */
  readonly source: string;
  getPassphrase(): Promise<string | null>;
  /**
   * Only for providers that may mint the passphrase themselves (the desktop keychain): called when the store has no
   * key-check record yet and `getPassphrase` returned null. Returns the passphrase it stored.
   */
  createPassphrase?(): Promise<string>;
}

/** What the desktop app fills with Electron safeStorage; the store never touches the keychain itself. */
export interface KeychainPort {
  load(): Promise<string | null>;
  save(passphrase: string): Promise<void>;
}

export type OpenBackupStoreOptions = {
  /** The store folder, normally `<dataDir>/backups`; created when missing. */
  dir: string;
  clock: Clock;
  logger: Logger;
  keyProvider: KeyProvider;
  /** Tests only: cheaper scrypt for a store created here (an existing store keeps the parameters it records). */
  kdfCost?: number;
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
  rename(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  fsyncDir(path: string): Promise<void>;
}
