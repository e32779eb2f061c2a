import { readFile } from 'node:fs/promises';

import type { AppError } from '../../../shared/errors/AppError';
import { isAppError } from '../../../shared/errors/AppError';
import { createLogger } from '../../../electron/core/ports/Logger';
import type { Logger, LogLevel } from '../../../electron/core/ports/Logger';
import { connectSsh } from '../../../electron/core/transport/ssh/SshConnection';
import type { SshAuth, SshOptions } from '../../../electron/core/transport/ssh/SshConnection';
import type { Connection, HostKeyVerifier } from '../../../electron/core/transport/transport';
import type { SshdFixture } from '../../support/sshd/startSshd';

/** Every message must name the unit; tests use a label no host name or user could be confused with. */
export const LABEL = 'unit-7';

export type CapturedLog = { level: LogLevel; message: string; fields: Record<string, unknown> };

export function capturingLogger(): { logger: Logger; records: CapturedLog[] } {
  const records: CapturedLog[] = [];
  return { logger: createLogger((record) => records.push(record), 'debug'), records };
}

/** Accepts exactly the fixture's host key, as a pinned fingerprint would. */
export function pinnedTo(fingerprint: string): HostKeyVerifier {
  return (key) =>
    key.fingerprint === fingerprint ? { kind: 'accept' } : { kind: 'mismatch', pinnedFingerprint: fingerprint };
}

export async function keyAuth(path: string, passphrase?: string): Promise<SshAuth> {
  const privateKey = await readFile(path);
  return passphrase === undefined ? { kind: 'key', privateKey } : { kind: 'key', privateKey, passphrase };
}

export async function connectTo(
  sshd: SshdFixture,
  opts: { user?: string; auth?: SshAuth; verify?: HostKeyVerifier; options?: Partial<SshOptions>; port?: number } = {},
): Promise<Connection> {
  return connectSsh(
    { label: LABEL, host: sshd.host, port: opts.port ?? sshd.port, username: opts.user ?? sshd.user },
    opts.auth ?? (await keyAuth(sshd.clientKeyPath)),
    opts.verify ?? pinnedTo(sshd.hostKeyFingerprint),
    { logger: capturingLogger().logger, ...opts.options },
  );
}

/** The AppError a promise rejects with; fails the test if it resolves or rejects with anything else. */
export async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    if (isAppError(error)) {
      return error;
    }
    throw new Error(`expected an AppError, got ${String(error)}`, { cause: error });
  }
  throw new Error(`expected a rejection, got ${JSON.stringify(outcome)}`);
}
