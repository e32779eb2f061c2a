import { readFile } from 'node:fs/promises';

import { AppError } from '../../../shared/errors/AppError';
import type { Unit } from '../../../shared/domain/unit';
import type { Logger } from '../ports/Logger';
import { connectSsh, probeHostKey, type SshAuth } from '../transport/ssh/SshConnection';
import type { Connection, HostKeyVerifier, PresentedHostKey } from '../transport/transport';

export type SecretEnv = Record<string, string | undefined>;

export type UnitConnector = {
  connect(unit: Unit): Promise<Connection>;
  probe(unit: Unit): Promise<PresentedHostKey>;
};

/** Resolves a unit's secret references at the moment of connecting; nothing secret is ever stored. */
export async function resolveAuth(unit: Unit, env: SecretEnv): Promise<SshAuth> {
  const auth = unit.auth;
  if (auth.kind === 'password') {
    const password = env[auth.passwordEnv];
    if (password === undefined || password === '') {
      throw new AppError(
        'SECRET_MISSING',
        `${unit.name}: the password variable ${auth.passwordEnv} is not set in the environment of the workstation`,
        { details: { unit: unit.name, variable: auth.passwordEnv } },
      );
    }
    return { kind: 'password', password };
  }
  let privateKey: Buffer;
  try {
    privateKey = await readFile(auth.keyPath);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AppError('KEY_FILE', `${unit.name}: cannot read the key file ${auth.keyPath} (${reason})`, {
      details: { unit: unit.name, keyPath: auth.keyPath },
    });
  }
  if (auth.passphraseEnv === undefined) {
    return { kind: 'key', privateKey };
  }
  const passphrase = env[auth.passphraseEnv];
  if (passphrase === undefined) {
    throw new AppError(
      'SECRET_MISSING',
      `${unit.name}: the key passphrase variable ${auth.passphraseEnv} is not set in the environment of the workstation`,
      { details: { unit: unit.name, variable: auth.passphraseEnv } },
    );
  }
  return { kind: 'key', privateKey, passphrase };
}

/** The pin decides: no pin is unknown, the same fingerprint is accepted, anything else is a hard stop. */
export function verifierForUnit(unit: Unit): HostKeyVerifier {
  return (key) => {
    if (unit.hostKey === null) {
      return { kind: 'unknown' };
    }
    if (unit.hostKey.fingerprint === key.fingerprint) {
      return { kind: 'accept' };
    }
    return { kind: 'mismatch', pinnedFingerprint: unit.hostKey.fingerprint };
  };
}

export function createSshUnitConnector(env: SecretEnv, logger: Logger, connectTimeoutMs = 10_000): UnitConnector {
  return {
    async connect(unit) {
      const auth = await resolveAuth(unit, env);
      return connectSsh(
        { label: unit.name, host: unit.host, port: unit.port, username: unit.user },
        auth,
        verifierForUnit(unit),
        // Keepalives notice a vehicle that vanished (power cut, Wi-Fi gone) without waiting for a command to time out.
        { logger: logger.child({ unit: unit.name }), connectTimeoutMs, keepaliveIntervalMs: 10_000 },
      );
    },
    async probe(unit) {
      return probeHostKey({ label: unit.name, host: unit.host, port: unit.port }, { logger, connectTimeoutMs });
    },
  };
}
