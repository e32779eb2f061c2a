import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';

import type { BackupCheck, BackupPull, BackupPush, ReplicaSettings } from '../../../../shared/domain/backup';
import { AppError, type JsonValue } from '../../../../shared/errors/AppError';
import type { HistoryRepository } from '../../history/HistoryRepository';
import type { Logger } from '../../ports/Logger';
import type { SettingsStore } from '../../settings/SettingsStore';
import { probeHostKey } from '../../transport/ssh/SshConnection';
import type { HostKeyVerifier, PresentedHostKey } from '../../transport/transport';
import type { BackupStore } from '../store/BackupStore';
import { type BackupLocations, laptopLocation, locationOfTarget } from './backupLocations';
import { checkReplica } from './checkReplica';
import { openFolderTarget } from './folderTarget';
import { describeTarget, hostKeyPinName, parseTarget, type ReplicaTarget, type TargetSpec } from './ReplicaTarget';
import { openSftpTarget, type SftpTargetSpec } from './sftpTarget';

export type ReplicaServiceDeps = {
  history: HistoryRepository;
  settings: SettingsStore;
  logger: Logger;
  store: () => Promise<BackupStore>;
  locations: BackupLocations;
};

/** Which target a call names: its own, else the one set as default. */
export type TargetChoice = { target?: string | undefined; keyPath?: string | undefined };

/** Where a successful push or pull put backups: at the target, or on this laptop. */
type Located = { at: 'target' | 'laptop'; backups: { backupId: string; unit: string | null }[] };

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Backups replicated to a folder or an SFTP server: push, pull, check there, and the target's settings (default
 * target, SSH key, pinned host keys). Every push, pull and check is written to the audit log, failures included.
 *
 * Where a backup lives is recorded by `recordPlacement`, the one place each push's and pull's facts are produced: in
 * the audit row, and as location rows (the target holds the pushed backups; this laptop holds the pulled ones) that
 * the team sync pushes to the team server.
 */
export class ReplicaService {
  constructor(private readonly deps: ReplicaServiceDeps) {}

  settings(): ReplicaSettings {
    return this.deps.settings.getReplica();
  }

  setDefault(target: string | null, keyPath: string | null, actor: string): ReplicaSettings {
    if (target !== null) {
      parseTarget(target);
    }
    if (keyPath !== null && !isAbsolute(keyPath)) {
      throw new AppError('VALIDATION', `The SSH key path must be absolute: ${keyPath}`);
    }
    const current = this.settings();
    return this.deps.settings.setReplica({ ...current, target, keyPath }, 'backup.setTarget', actor);
  }

  /** Pins an SFTP target's host key: the one it presents, or only one matching `fingerprint` (read on the server). */
  async trust(
    target: string,
    fingerprint: string | undefined,
    actor: string,
  ): Promise<PresentedHostKey & { target: string }> {
    const spec = parseTarget(target);
    if (spec.kind !== 'sftp') {
      throw new AppError('VALIDATION', 'Only an sftp:// target has a host key to pin');
    }
    const key = await probeHostKey(
      { label: describeTarget(spec), host: spec.host, port: spec.port },
      { logger: this.deps.logger, connectTimeoutMs: 15_000 },
    );
    if (fingerprint !== undefined && fingerprint !== key.fingerprint) {
      throw new AppError(
        'HOST_KEY_MISMATCH',
        `${describeTarget(spec)} presents ${key.fingerprint}, not ${fingerprint}: nothing was pinned`,
        { details: { fingerprint: key.fingerprint, expected: fingerprint } },
      );
    }
    const current = this.settings();
    this.deps.settings.setReplica(
      { ...current, hostKeys: { ...current.hostKeys, [hostKeyPinName(spec)]: key } },
      'backup.trustTarget',
      actor,
    );
    return { ...key, target: describeTarget(spec) };
  }

  async push(choice: TargetChoice, unit: string | undefined, actor: string): Promise<BackupPush> {
    return this.audited('backup.push', choice, actor, async (target) => {
      const store = await this.deps.store();
      const result = await store.push(target, unit);
      // Copied now or already there as this store holds them: either way the target holds them.
      const atTarget = [...result.pushed, ...result.alreadyThereIds];
      const unitOf = new Map(atTarget.length === 0 ? [] : (await store.list()).map((b) => [b.id, b.unit]));
      return {
        result,
        unit: unit ?? null,
        located: {
          at: 'target',
          backups: atTarget.map((backupId) => ({ backupId, unit: unitOf.get(backupId) ?? unit ?? null })),
        },
        details: {
          pushed: result.pushed.length,
          alreadyThere: result.alreadyThere,
          skipped: result.skipped.length,
          packsCopied: result.packsCopied,
          bytesCopied: result.bytesCopied,
          conflicts: result.conflicts.length,
          backupIds: result.pushed,
        },
      };
    });
  }

  async pull(choice: TargetChoice, selector: string, actor: string): Promise<BackupPull> {
    return this.audited('backup.pull', choice, actor, async (target) => {
      const result = await (await this.deps.store()).pull(target, selector);
      const first = result.backups[0];
      return {
        result,
        unit: first?.unit ?? null,
        located: { at: 'laptop', backups: result.backups.map((b) => ({ backupId: b.backupId, unit: b.unit })) },
        details: {
          selector,
          backupId: first?.backupId ?? '',
          backupIds: result.backups.map((b) => b.backupId),
          status: first?.status ?? 'none',
          packsCopied: result.packsCopied,
          bytesCopied: result.bytesCopied,
        },
      };
    });
  }

  async check(choice: TargetChoice, readData: boolean, actor: string): Promise<BackupCheck> {
    return this.audited('backup.checkAt', choice, actor, async (target) => {
      const result = await checkReplica(target, { readData });
      const first = result.problems[0];
      return {
        result,
        unit: null,
        ok: result.ok,
        details: {
          readData,
          problems: result.problems.length,
          ...(first === undefined ? {} : { firstProblem: `${first.subject}: ${first.message}` }),
        },
      };
    });
  }

  /** Opens the target, runs `work`, closes it, and writes one audit row either way. */
  private async audited<T>(
    action: string,
    choice: TargetChoice,
    actor: string,
    work: (target: ReplicaTarget) => Promise<{
      result: T;
      unit: string | null;
      ok?: boolean;
      located?: Located;
      details: Record<string, JsonValue>;
    }>,
  ): Promise<T> {
    const spec = this.resolve(choice);
    const where = describeTarget(spec);
    try {
      const target = await this.open(spec, choice.keyPath);
      try {
        const done = await work(target);
        this.recordPlacement(action, where, done.unit, done.ok ?? true, actor, done.details, done.located);
        return done.result;
      } finally {
        await target.close();
      }
    } catch (error) {
      this.recordPlacement(action, where, null, false, actor, {
        message: messageOf(error),
        ...(error instanceof AppError ? { code: error.code } : {}),
      });
      throw error;
    }
  }

  /** The audit row of a push, pull or check (what went where), and where the backups of a successful one now live. */
  private recordPlacement(
    action: string,
    target: string,
    unit: string | null,
    ok: boolean,
    actor: string,
    details: Record<string, JsonValue>,
    located?: Located,
  ): void {
    if (ok && located !== undefined && located.backups.length > 0) {
      const { locations } = this.deps;
      locations.record(
        located.backups,
        located.at === 'target' ? locationOfTarget(target) : laptopLocation(locations.deviceId()),
      );
    }
    this.deps.history.appendAudit({
      actor,
      unit,
      action,
      outcome: ok ? 'ok' : 'failed',
      details: { target, ...details },
    });
  }

  private resolve(choice: TargetChoice): TargetSpec {
    const text = choice.target ?? this.settings().target;
    if (text === null || text === undefined) {
      throw new AppError(
        'VALIDATION',
        'No backup target named and none set: name one (--to / --from / --at TARGET) or set a default: ohtw backups target TARGET',
      );
    }
    return parseTarget(text);
  }

  private async open(spec: TargetSpec, keyPath: string | undefined): Promise<ReplicaTarget> {
    if (spec.kind === 'folder') {
      return openFolderTarget(spec.dir);
    }
    return openSftpTarget(spec, await this.sshAuth(spec, keyPath), this.verifier(spec), this.deps.logger);
  }

  private verifier(spec: SftpTargetSpec): HostKeyVerifier {
    const pinned = this.settings().hostKeys[hostKeyPinName(spec)];
    return (key) =>
      pinned === undefined
        ? { kind: 'unknown' }
        : pinned.fingerprint === key.fingerprint
          ? { kind: 'accept' }
          : { kind: 'mismatch', pinnedFingerprint: pinned.fingerprint };
  }

  private async sshAuth(
    spec: SftpTargetSpec,
    keyPath: string | undefined,
  ): Promise<{ kind: 'key'; privateKey: Buffer }> {
    const path = keyPath ?? this.settings().keyPath;
    if (path === null || path === undefined) {
      throw new AppError(
        'KEY_FILE',
        `${describeTarget(spec)}: no SSH key for the target: name one (--key FILE) or set it: ohtw backups target TARGET --key FILE`,
      );
    }
    try {
      return { kind: 'key', privateKey: await readFile(path) };
    } catch (error) {
      throw new AppError('KEY_FILE', `${describeTarget(spec)}: cannot read the SSH key ${path} (${messageOf(error)})`, {
        details: { keyPath: path },
      });
    }
  }
}
