import { posix } from 'node:path';

import { EDITABLE_MAX_BYTES, type RemoteEntry, type RemoteFile } from '../../../shared/domain/remoteFiles';
import type { Unit } from '../../../shared/domain/unit';
import { AppError } from '../../../shared/errors/AppError';
import type { CallOutput, CallParsedInput } from '../../../shared/ipc/contract';
import type { BackupFileAccess } from '../ports/BackupFileAccess';
import { loadBackupProfile, secretMatcher, servicesForPaths } from '../backup/profile/backupProfiles';
import type { HistoryRepository } from '../history/HistoryRepository';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';
import {
  hasStreamExec,
  shellQuote,
  type CommandChannel,
  type Connection,
  type StreamChannel,
} from '../transport/transport';
import type { UnitConnector } from '../units/unitConnection';
import type { UnitService } from '../units/UnitService';
import { applyEdit } from './fileEdit';
import { browseRoots, requireInRoots } from './fileScope';
import { lineDiff } from './lineDiff';
import { sha256Of, UnitFiles } from './UnitFiles';

/** Downloads are whole files; larger ones are for a backup, not for the Files tab. */
export const DOWNLOAD_MAX_BYTES = 32 * 1024 * 1024;
/** systemctl is-active answers that mean the service runs (or is about to). */
const RUNNING = new Set(['active', 'activating', 'reloading']);

export type FilesServiceDeps = {
  dataDir: string;
  /** The shipped backup profiles' folder: a unit's browse roots come from its backup profile. */
  resourcesDir: string;
  units: UnitService;
  connector: UnitConnector;
  history: HistoryRepository;
  clock: Clock;
  logger: Logger;
  backups: BackupFileAccess;
};

export type OpenFiles = {
  unit: Unit;
  files: UnitFiles;
  channel: CommandChannel & StreamChannel;
  roots: string[];
  /** Services (by the backup profile) that own the path. */
  servicesOf(path: string): string[];
  isSecret(path: string): boolean;
};

/** Text as shown and edited: UTF-8 without NUL; anything else is shown as not text. */
export function asText(content: Buffer): string | null {
  if (content.includes(0)) {
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    return null;
  }
}

/** The unit's files: browse, read, download, compare with a backup, and edit under the gates. */
export class FilesService {
  constructor(private readonly deps: FilesServiceDeps) {}

  async roots(name: string): Promise<string[]> {
    const unit = this.deps.units.require(name);
    return browseRoots(unit, (await loadBackupProfile(this.deps.dataDir, unit.name, this.deps.resourcesDir)).profile);
  }

  list(name: string, path: string): Promise<CallOutput<'files.list'>> {
    return this.withFiles(name, path, async ({ files }) => ({ path, ...(await files.list(path)) }));
  }

  read(name: string, path: string): Promise<RemoteFile> {
    return this.withFiles(name, path, async (open) => {
      const { entry } = await open.files.stat(path);
      if (entry.type === 'dir') {
        throw new AppError('VALIDATION', `${name}: ${path} is a folder`);
      }
      const { content, via } = await open.files.read(path, EDITABLE_MAX_BYTES + 1);
      const tooLarge = content.length > EDITABLE_MAX_BYTES;
      const text = tooLarge ? null : asText(content);
      return {
        entry,
        text,
        notShown: tooLarge ? 'too-large' : text === null ? 'binary' : null,
        sha256: tooLarge ? '' : sha256Of(content),
        via,
        services: open.servicesOf(path),
      };
    });
  }

  download(name: string, path: string): Promise<CallOutput<'files.download'>> {
    return this.withFiles(name, path, async ({ files }) => {
      const { content } = await files.read(path, DOWNLOAD_MAX_BYTES + 1);
      if (content.length > DOWNLOAD_MAX_BYTES) {
        throw new AppError('VALIDATION', `${name}: ${path} is larger than 32 MiB; take it with a backup instead`);
      }
      return {
        fileName: posix.basename(path),
        size: content.length,
        sha256: sha256Of(content),
        contentBase64: content.toString('base64'),
      };
    });
  }

  compare(name: string, path: string, backupId: string): Promise<CallOutput<'files.compare'>> {
    return this.withFiles(name, path, async ({ files }) => {
      const stored = await this.deps.backups.read(backupId, path, EDITABLE_MAX_BYTES + 1);
      if (stored.unit !== name) {
        throw new AppError('VALIDATION', `backup ${backupId} is of ${stored.unit}, not of ${name}`);
      }
      const current = await files.read(path, EDITABLE_MAX_BYTES + 1).then(
        ({ content }) => asText(content),
        (error: unknown) => {
          if (error instanceof AppError && error.code === 'NOT_FOUND') {
            return null;
          }
          throw error;
        },
      );
      const backup = stored.content === null ? null : asText(stored.content);
      return {
        backupId,
        takenAt: stored.takenAt,
        current,
        backup,
        diff: lineDiff(backup ?? '', current ?? ''),
      };
    });
  }

  planEdit(input: CallParsedInput<'files.planEdit'>): Promise<CallOutput<'files.planEdit'>> {
    return this.withFiles(input.unit, input.path, async (open) => {
      const { current, via } = await this.editable(open, input.path, input.baseSha256);
      const services = open.servicesOf(input.path);
      const running = await runningServices(open.channel, services);
      return {
        diff: lineDiff(current, input.text),
        unchanged: current === input.text,
        services,
        running,
        gates: running.length > 0 ? ['vehicle.stopped' as const] : [],
        via,
      };
    });
  }

  applyEdit(input: CallParsedInput<'files.applyEdit'>, actor: string): Promise<CallOutput<'files.applyEdit'>> {
    return this.withFiles(input.unit, input.path, async (open) => {
      const { entry, current } = await this.editable(open, input.path, input.baseSha256);
      const services = open.servicesOf(input.path);
      return applyEdit(
        { ...this.deps, open, entry, current, services, running: await runningServices(open.channel, services) },
        { text: input.text, baseSha256: input.baseSha256, actor },
      );
    });
  }

  /** The file as it is now, if it is a text file the edit was made on. */
  private async editable(
    open: OpenFiles,
    path: string,
    baseSha256: string,
  ): Promise<{ entry: RemoteEntry; current: string; via: 'sftp' | 'sudo' }> {
    const { entry } = await open.files.stat(path);
    if (entry.type !== 'file') {
      throw new AppError('VALIDATION', `${open.unit.name}: ${path} is not a regular file; edit the file itself`);
    }
    const { content, via } = await open.files.read(path, EDITABLE_MAX_BYTES + 1);
    const current = content.length > EDITABLE_MAX_BYTES ? null : asText(content);
    if (current === null) {
      throw new AppError('VALIDATION', `${open.unit.name}: ${path} is not a text file of up to 1 MiB`);
    }
    if (sha256Of(content) !== baseSha256) {
      throw new AppError('CONFLICT', `${open.unit.name}: ${path} changed on the unit since it was read; read it again`);
    }
    return { entry, current, via };
  }

  private async withFiles<T>(name: string, path: string, run: (open: OpenFiles) => Promise<T>): Promise<T> {
    const unit = this.deps.units.require(name);
    const { profile } = await loadBackupProfile(this.deps.dataDir, unit.name, this.deps.resourcesDir);
    const roots = browseRoots(unit, profile);
    requireInRoots(unit.name, roots, path);
    const connection: Connection = await this.deps.connector.connect(unit);
    const files = hasStreamExec(connection) ? new UnitFiles(unit.name, connection) : null;
    try {
      if (files === null || !hasStreamExec(connection)) {
        throw new AppError('PRECONDITION_FAILED', `${unit.name}: this connection cannot reach the unit's files`);
      }
      const isSecret = secretMatcher(profile.secrets);
      return await run({
        unit,
        files,
        channel: connection,
        roots,
        servicesOf: (p) => servicesForPaths(profile, [p]),
        isSecret,
      });
    } finally {
      files?.close();
      await connection.close();
    }
  }
}

/** Which of `services` run now, each asked on its own so that one unknown unit cannot shift the answers. */
export async function runningServices(channel: CommandChannel, services: readonly string[]): Promise<string[]> {
  const running: string[] = [];
  for (const service of services) {
    const result = await channel.exec(`systemctl is-active -- ${shellQuote(service)}`, { timeoutMs: 15_000 });
    if (RUNNING.has(result.stdout.trim().split('\n')[0]?.trim() ?? '')) {
      running.push(service);
    }
  }
  return running;
}
