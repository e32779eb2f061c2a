import type { Client, SFTPWrapper, Stats } from 'ssh2';

import { SftpError, type RemoteDirEntry, type RemoteStat, type SftpSession } from '../transport';
import type { ExecContext } from './channelRequest';
import { closedByWorkstation } from './execErrors';

/** SSH_FX_NO_SUCH_FILE and SSH_FX_PERMISSION_DENIED (draft-ietf-secsh-filexfer-02). */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;
const READ_CHUNK = 32 * 1024;

function sftpError(error: Error & { code?: unknown }, what: string): SftpError {
  const kind = error.code === PERMISSION_DENIED ? 'denied' : error.code === NO_SUCH_FILE ? 'missing' : 'failure';
  return new SftpError(kind, `${what}: ${error.message}`);
}

function call<T>(what: string, run: (done: (error: Error | undefined | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => (error ? reject(sftpError(error, what)) : resolve(value as T)));
  });
}

function statOf(stats: Stats): RemoteStat {
  return {
    type: stats.isFile() ? 'file' : stats.isDirectory() ? 'dir' : stats.isSymbolicLink() ? 'symlink' : 'other',
    mode: stats.mode & 0o7777,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    mtimeMs: stats.mtime * 1000,
  };
}

/** `-rw-r----- 1 oht oht 1234 Mar  1 08:00 name`: the owner and group names OpenSSH puts in a listing. */
function namesOf(longname: string, stat: RemoteStat): { owner: string; group: string } {
  const fields = longname.trim().split(/\s+/);
  return { owner: fields[2] ?? String(stat.uid), group: fields[3] ?? String(stat.gid) };
}

export function openSftpOnClient(client: Client, ctx: ExecContext): Promise<SftpSession> {
  return new Promise((resolve, reject) => {
    try {
      client.sftp((error, sftp) => (error ? reject(sftpError(error, `${ctx.label}: SFTP`)) : resolve(wrap(sftp))));
    } catch {
      reject(closedByWorkstation(ctx.label));
    }
  });
}

function wrap(sftp: SFTPWrapper): SftpSession {
  const readAll = async (path: string, maxBytes: number): Promise<Buffer> => {
    const handle = await call<Buffer>(`open ${path}`, (done) => sftp.open(path, 'r', done));
    try {
      const chunks: Buffer[] = [];
      let position = 0;
      while (position < maxBytes) {
        const buffer = Buffer.alloc(Math.min(READ_CHUNK, maxBytes - position));
        const read = await new Promise<number>((resolve, reject) =>
          sftp.read(handle, buffer, 0, buffer.length, position, (error, bytesRead) =>
            // End of file comes as an error with the EOF status in some servers, as 0 bytes in others.
            error && (error as Error & { code?: unknown }).code !== 1
              ? reject(sftpError(error, `read ${path}`))
              : resolve(error ? 0 : bytesRead),
          ),
        );
        if (read === 0) {
          break;
        }
        chunks.push(buffer.subarray(0, read));
        position += read;
      }
      return Buffer.concat(chunks);
    } finally {
      await call(`close ${path}`, (done) => sftp.close(handle, done)).catch(() => undefined);
    }
  };
  return {
    async list(path) {
      const entries = await call<{ filename: string; longname: string; attrs: Stats }[]>(`list ${path}`, (done) =>
        sftp.readdir(path, done),
      );
      return entries
        .filter((entry) => entry.filename !== '.' && entry.filename !== '..')
        .map((entry): RemoteDirEntry => {
          const stat = statOf(entry.attrs);
          return { name: entry.filename, stat, ...namesOf(entry.longname, stat) };
        });
    },
    lstat: async (path) => statOf(await call<Stats>(`SFTP stat of ${path}`, (done) => sftp.lstat(path, done))),
    read: readAll,
    async write(path, data, mode) {
      const handle = await call<Buffer>(`create ${path}`, (done) => sftp.open(path, 'w', { mode }, done));
      try {
        let offset = 0;
        while (offset < data.length) {
          const length = Math.min(READ_CHUNK, data.length - offset);
          await call(`write ${path}`, (done) => sftp.write(handle, data, offset, length, offset, done));
          offset += length;
        }
        // The mode given to open is masked by the server's umask; this sets it exactly.
        await call(`SFTP chmod of ${path}`, (done) => sftp.fchmod(handle, mode, done));
      } finally {
        await call(`close ${path}`, (done) => sftp.close(handle, done));
      }
    },
    async rename(from, to) {
      try {
        await call(`rename ${from}`, (done) => sftp.ext_openssh_rename(from, to, done));
      } catch (error) {
        if (error instanceof SftpError) {
          throw error;
        }
        // No posix-rename extension: a plain rename, which some servers refuse over an existing file.
        await call(`rename ${from}`, (done) => sftp.rename(from, to, done));
      }
    },
    unlink: (path) => call(`remove ${path}`, (done) => sftp.unlink(path, done)),
    close: () => sftp.end(),
  };
}
