import type { Client, SFTPWrapper } from 'ssh2';

import type { HostKeyVerifier } from '../transport';
import { errorMessage } from './oneLine';
import { openAuthenticatedClient, type SshAuth, type SshOptions, type SshTarget } from './SshConnection';

/** A file or folder in an SFTP listing. */
export type SftpEntry = { name: string; size: number; isDir: boolean };

/** SSH_FX_NO_SUCH_FILE: the one status a caller asks about (a missing file is an answer, not a failure). */
const NO_SUCH_FILE = 2;

export function isSftpMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === NO_SUCH_FILE;
}

/** Requests of this size, this many at once: a 16 MiB pack crosses in a few round trips' time, not 512 of them. */
const SLICE = 64 * 1024;
const IN_FLIGHT = 16;

/** Runs `part` over [0, size) in slices, IN_FLIGHT at a time. */
async function inFlight(size: number, part: (offset: number, length: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < size) {
      const offset = next;
      next += SLICE;
      await part(offset, Math.min(SLICE, size - offset));
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
}

/**
 * A standalone SFTP connection to a backup target (not a vehicle: no sudo, no exec), with many requests in flight.
 * The vehicle's Files tab opens SFTP on its existing connection instead (sftpSession.ts).
 *
 * The SFTP subsystem of one authenticated SSH connection, as promises. The host key is checked as for a vehicle
 * (openAuthenticatedClient), so nothing is sent to a host whose key is not pinned.
 */
export class SftpClient {
  private constructor(
    private readonly client: Client,
    private readonly sftp: SFTPWrapper,
  ) {}

  static async open(
    target: SshTarget,
    auth: SshAuth,
    verifyHostKey: HostKeyVerifier,
    options: SshOptions,
  ): Promise<SftpClient> {
    const { client } = await openAuthenticatedClient(target, auth, verifyHostKey, options);
    try {
      const sftp = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((error, session) => (error ? reject(error) : resolve(session))),
      );
      return new SftpClient(client, sftp);
    } catch (error) {
      client.end();
      throw new Error(`the server refused the SFTP subsystem (${errorMessage(error)})`, { cause: error });
    }
  }

  list(path: string): Promise<SftpEntry[]> {
    return new Promise((resolve, reject) =>
      this.sftp.readdir(path, (error, list) =>
        error
          ? reject(error)
          : resolve(
              list.map((e) => ({
                name: e.filename,
                size: e.attrs.size,
                isDir: (e.attrs.mode & 0o170000) === 0o040000,
              })),
            ),
      ),
    );
  }

  /** Reads a whole file with several requests in flight (one at a time would wait a round trip per 32 KiB). */
  async readFile(path: string): Promise<Buffer> {
    const handle = await new Promise<Buffer>((resolve, reject) =>
      this.sftp.open(path, 'r', (error, h) => (error ? reject(error) : resolve(h))),
    );
    try {
      const size = await new Promise<number>((resolve, reject) =>
        this.sftp.fstat(handle, (error, stats) => (error ? reject(error) : resolve(stats.size))),
      );
      const out = Buffer.alloc(size);
      await inFlight(size, (offset, length) => this.readAt(handle, out, offset, length));
      return out;
    } finally {
      await new Promise<void>((resolve) => this.sftp.close(handle, () => resolve()));
    }
  }

  /** Fills out[offset, offset + length) from the file, however short the server's replies. */
  private async readAt(handle: Buffer, out: Buffer, offset: number, length: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const got = await new Promise<number>((resolve, reject) =>
        this.sftp.read(handle, out, offset + done, length - done, offset + done, (error, n) =>
          error ? reject(error) : resolve(n),
        ),
      );
      if (got === 0) {
        throw new Error(`the file ended ${offset + done} bytes in, before its size`);
      }
      done += got;
    }
  }

  /** Creates the file (never replacing one), writes all of `data`, asks the server to fsync it where it can. */
  async writeNew(path: string, data: Buffer): Promise<void> {
    const handle = await new Promise<Buffer>((resolve, reject) =>
      this.sftp.open(path, 'wx', { mode: 0o600 }, (error, h) => (error ? reject(error) : resolve(h))),
    );
    try {
      await inFlight(
        data.length,
        (offset, length) =>
          new Promise<void>((resolve, reject) =>
            this.sftp.write(handle, data, offset, length, offset, (error) => (error ? reject(error) : resolve())),
          ),
      );
      await new Promise<void>((resolve) =>
        // fsync@openssh.com: OpenSSH has it; a server without it still gets the data, only not forced to disk yet.
        this.sftp.ext_openssh_fsync(handle, () => resolve()),
      );
    } finally {
      await new Promise<void>((resolve) => this.sftp.close(handle, () => resolve()));
    }
  }

  /** A plain SFTP rename: OpenSSH refuses it when `to` exists, so nothing already there is replaced. */
  rename(from: string, to: string): Promise<void> {
    return new Promise((resolve, reject) => this.sftp.rename(from, to, (error) => (error ? reject(error) : resolve())));
  }

  exists(path: string): Promise<boolean> {
    return new Promise((resolve, reject) =>
      this.sftp.stat(path, (error) =>
        error ? (isSftpMissing(error) ? resolve(false) : reject(error)) : resolve(true),
      ),
    );
  }

  /** Creates the folder; one that is already there is fine. */
  async mkdir(path: string): Promise<void> {
    try {
      await new Promise<void>((resolve, reject) =>
        this.sftp.mkdir(path, { mode: 0o700 }, (error) => (error ? reject(error) : resolve())),
      );
    } catch (error) {
      if (!(await this.exists(path))) {
        throw error;
      }
    }
  }

  unlink(path: string): Promise<void> {
    return new Promise((resolve) => this.sftp.unlink(path, () => resolve()));
  }

  async close(): Promise<void> {
    this.sftp.end();
    const closed = new Promise<void>((resolve) => this.client.once('close', () => resolve()));
    this.client.end();
    await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 2000).unref())]);
  }
}
