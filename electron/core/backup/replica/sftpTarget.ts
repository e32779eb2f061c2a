import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';

import { AppError, isAppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import type { SshAuth } from '../../transport/ssh/SshConnection';
import { isSftpMissing, SftpClient } from '../../transport/ssh/sftpClient';
import type { HostKeyVerifier } from '../../transport/transport';
import type { ReplicaTarget, TargetSpec } from './ReplicaTarget';
import { describeTarget, hostKeyPinName } from './ReplicaTarget';

export type SftpTargetSpec = Extract<TargetSpec, { kind: 'sftp' }>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A refused host key names the target and the command that pins it, not a unit's. */
function hostKeyHint(spec: SftpTargetSpec, error: unknown): unknown {
  if (!isAppError(error) || (error.code !== 'HOST_KEY_UNKNOWN' && error.code !== 'HOST_KEY_MISMATCH')) {
    return error;
  }
  const detail = (key: string): string => {
    const value = error.details?.[key];
    return typeof value === 'string' ? value : '';
  };
  const fingerprint = detail('fingerprint');
  const where = describeTarget(spec);
  const message =
    error.code === 'HOST_KEY_UNKNOWN'
      ? `${where}: unknown host key ${fingerprint}. Check it on the server and pin it: ohtw backups trust-target ${where} --fingerprint ${fingerprint}`
      : `${where}: the host key changed (${fingerprint}, pinned ${detail('pinnedFingerprint')}). Nothing was sent. Check the server before pinning it again`;
  return new AppError(error.code, message, { details: { ...error.details, target: where }, cause: error });
}

/** Connects to the target's server and checks its folder is there; a refused host key says how to pin it. */
async function connectToFolder(
  spec: SftpTargetSpec,
  auth: SshAuth,
  verifyHostKey: HostKeyVerifier,
  logger: Logger,
): Promise<SftpClient> {
  const description = describeTarget(spec);
  let session: SftpClient;
  try {
    session = await SftpClient.open(
      { label: hostKeyPinName(spec), host: spec.host, port: spec.port, username: spec.user },
      auth,
      verifyHostKey,
      { logger, connectTimeoutMs: 15_000, keepaliveIntervalMs: 10_000 },
    );
  } catch (error) {
    throw hostKeyHint(spec, error);
  }
  try {
    await session.list(spec.path);
  } catch (error) {
    await session.close();
    throw new AppError('NOT_FOUND', `${description}: the folder ${spec.path} does not exist on the server`, {
      details: { target: description },
      cause: error,
    });
  }
  return session;
}

/** A target on an SFTP server, the host key pinned as a vehicle's is. */
export async function openSftpTarget(
  spec: SftpTargetSpec,
  auth: SshAuth,
  verifyHostKey: HostKeyVerifier,
  logger: Logger,
): Promise<ReplicaTarget> {
  const description = describeTarget(spec);
  const session = await connectToFolder(spec, auth, verifyHostKey, logger);
  const p = (path: string): string => posix.join(spec.path, path);
  const failed = (what: string, error: unknown): AppError =>
    new AppError(
      'COMMAND_FAILED',
      `${description}: ${what} failed (${messageOf(error)}); the server may be full or refuse the write. Nothing already copied is lost`,
      { details: { target: description }, cause: error },
    );
  const mkdirs = async (dir: string): Promise<void> => {
    const parts = dir.split('/').filter((s) => s !== '');
    for (let i = 1; i <= parts.length; i += 1) {
      await session.mkdir(p(parts.slice(0, i).join('/')));
    }
  };
  return {
    description,
    async list(dir) {
      try {
        return await session.list(p(dir));
      } catch (error) {
        if (isSftpMissing(error)) {
          return [];
        }
        throw failed(`listing ${dir}`, error);
      }
    },
    async readFile(path) {
      try {
        return await session.readFile(p(path));
      } catch (error) {
        if (isSftpMissing(error)) {
          return null;
        }
        throw failed(`reading ${path}`, error);
      }
    },
    async writeTemp(data) {
      const temp = `tmp/${randomBytes(8).toString('hex')}.part`;
      try {
        await mkdirs('tmp');
        await session.writeNew(p(temp), data);
      } catch (error) {
        await session.unlink(p(temp));
        throw failed(`writing ${data.length} bytes`, error);
      }
      return temp;
    },
    async commitTemp(temp, path) {
      try {
        await mkdirs(posix.dirname(path));
        await session.rename(p(temp), p(path));
        return 'written';
      } catch (error) {
        if (await session.exists(p(path)).catch(() => false)) {
          await session.unlink(p(temp));
          return 'exists';
        }
        throw failed(`placing ${path}`, error);
      }
    },
    async removeTemp(temp) {
      await session.unlink(p(temp));
    },
    close: () => session.close(),
  };
}
