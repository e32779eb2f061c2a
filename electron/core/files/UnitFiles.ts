import { createHash } from 'node:crypto';

import type { FileAccess, RemoteEntry } from '../../../shared/domain/remoteFiles';
import { AppError } from '../../../shared/errors/AppError';
import {
  hasSftp,
  SftpError,
  type CommandChannel,
  type RemoteStat,
  type SftpSession,
  type StreamChannel,
} from '../transport/transport';
import { sudoList, sudoRead, sudoStat, sudoWrite } from './sudoFiles';

type Channel = CommandChannel & StreamChannel;

export const sha256Of = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

function entryOf(path: string, stat: RemoteStat, owner = String(stat.uid), group = String(stat.gid)): RemoteEntry {
  return {
    name: path.slice(path.lastIndexOf('/') + 1) || '/',
    path,
    type: stat.type,
    mode: stat.mode,
    uid: stat.uid,
    gid: stat.gid,
    owner,
    group,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
  };
}

const childPath = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/**
 * One unit's files over one connection: as the login user over SFTP where it may, as root through `sudo -n` where
 * only root may (never by asking anyone for a password). Every answer says which way it went.
 */
export class UnitFiles {
  private sftp: Promise<SftpSession | null> | undefined;

  constructor(
    private readonly unit: string,
    private readonly channel: Channel,
  ) {}

  async list(path: string): Promise<{ entries: RemoteEntry[]; via: FileAccess }> {
    return this.either(
      async (sftp) => {
        const entries = await sftp.list(path);
        return entries
          .map((e) => entryOf(childPath(path, e.name), e.stat, e.owner, e.group))
          .sort((a, b) => a.name.localeCompare(b.name));
      },
      () => sudoList(this.channel, this.unit, path),
      path,
    ).then(({ value, via }) => ({ entries: value, via }));
  }

  async stat(path: string): Promise<{ entry: RemoteEntry; via: FileAccess }> {
    const { value, via } = await this.either(
      async (sftp) => entryOf(path, await sftp.lstat(path)),
      () => sudoStat(this.channel, this.unit, path),
      path,
    );
    return { entry: value, via };
  }

  async read(path: string, maxBytes: number): Promise<{ content: Buffer; via: FileAccess }> {
    const { value, via } = await this.either(
      (sftp) => sftp.read(path, maxBytes),
      () => sudoRead(this.channel, this.unit, path, maxBytes),
      path,
    );
    return { content: value, via };
  }

  /**
   * Replaces a regular file atomically, keeping its owner and mode, only if it still has `baseSha256`. As the login
   * user when it owns the file and may write the folder (the temporary file then has the same owner), else as root.
   */
  async write(entry: RemoteEntry, content: Buffer, baseSha256: string): Promise<{ sha256: string; via: FileAccess }> {
    const sftp = await this.session();
    if (sftp !== null) {
      const written = await this.writeAsUser(sftp, entry, content, baseSha256);
      if (written !== null) {
        return { sha256: written, via: 'sftp' };
      }
    }
    return { sha256: await sudoWrite(this.channel, this.unit, entry.path, content, baseSha256), via: 'sudo' };
  }

  close(): void {
    void this.sftp?.then((session) => session?.close());
  }

  /** Null when the login user cannot write it so that the owner stays the same: root has to. */
  private async writeAsUser(
    sftp: SftpSession,
    entry: RemoteEntry,
    content: Buffer,
    baseSha256: string,
  ): Promise<string | null> {
    const temporary = `${entry.path.slice(0, entry.path.lastIndexOf('/'))}/.ohtw-edit.${process.pid}.${Date.now()}`;
    let current: RemoteStat;
    try {
      current = await sftp.lstat(entry.path);
      await sftp.write(temporary, content, current.mode);
    } catch (error) {
      if (error instanceof SftpError && error.kind === 'denied') {
        return null;
      }
      throw this.refusal(error, entry.path);
    }
    try {
      const made = await sftp.lstat(temporary);
      if (made.uid !== current.uid || made.gid !== current.gid) {
        await sftp.unlink(temporary);
        return null;
      }
      if (sha256Of(await sftp.read(entry.path, current.size + 1)) !== baseSha256) {
        await sftp.unlink(temporary);
        throw new AppError(
          'CONFLICT',
          `${this.unit}: ${entry.path} changed on the unit since it was read; read it again`,
        );
      }
      await sftp.rename(temporary, entry.path);
      return sha256Of(await sftp.read(entry.path, content.length + 1));
    } catch (error) {
      await sftp.unlink(temporary).catch(() => undefined);
      throw this.refusal(error, entry.path);
    }
  }

  private async either<T>(
    asUser: (sftp: SftpSession) => Promise<T>,
    asRoot: () => Promise<T>,
    path: string,
  ): Promise<{ value: T; via: FileAccess }> {
    const sftp = await this.session();
    if (sftp !== null) {
      try {
        return { value: await asUser(sftp), via: 'sftp' };
      } catch (error) {
        if (!(error instanceof SftpError) || error.kind !== 'denied') {
          throw this.refusal(error, path);
        }
      }
    }
    return { value: await asRoot(), via: 'sudo' };
  }

  private session(): Promise<SftpSession | null> {
    // A unit whose sshd has no SFTP subsystem is read through sudo alone.
    this.sftp ??= hasSftp(this.channel) ? this.channel.openSftp().catch(() => null) : Promise.resolve(null);
    return this.sftp;
  }

  private refusal(error: unknown, path: string): unknown {
    if (error instanceof SftpError) {
      return error.kind === 'missing'
        ? new AppError('NOT_FOUND', `${this.unit}: ${path}: no such file or folder`)
        : new AppError('COMMAND_FAILED', `${this.unit}: ${error.message}`);
    }
    return error;
  }
}
