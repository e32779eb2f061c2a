import { Client } from 'ssh2';
import type { ConnectConfig } from 'ssh2';

import { BugError, type AppError } from '../../../../shared/errors/AppError';
import type { Logger } from '../../ports/Logger';
import type {
  Connection,
  ExecOptions,
  ExecResult,
  HostKeyVerifier,
  InteractiveShell,
  PresentedHostKey,
  SftpChannel,
  SftpSession,
  ShellChannel,
  ShellOptions,
  StreamChannel,
  StreamExecOptions,
  StreamingExec,
} from '../transport';
import type { ConnectContext } from './connectErrors';
import { execOnClient } from './execChannel';
import type { ConnectionEnd, ExecContext } from './channelRequest';
import { closedByWorkstation, connectionLost } from './execErrors';
import { handshake } from './handshake';
import { openSftpOnClient } from './sftpSession';
import { openShellOnClient } from './shellChannel';
import { execStreamOnClient } from './streamChannel';
import { createHostKeyGate } from './hostKeyGate';
import { errorMessage } from './oneLine';

export type SshAuth = { kind: 'key'; privateKey: Buffer; passphrase?: string } | { kind: 'password'; password: string };
/** `label` is the unit's name: every message about this connection starts with it. */
export type SshTarget = { label: string; host: string; port: number; username: string };
export type SshOptions = {
  logger: Logger;
  /** Limit for TCP connect, key exchange and login together; 10000 when absent. */
  connectTimeoutMs?: number;
  /** Sends SSH keepalives at this interval so a vanished vehicle is noticed; none when absent. */
  keepaliveIntervalMs?: number;
};

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
/** How long close() waits for commands to be stopped and for the vehicle to acknowledge the disconnect. */
const CLOSE_GRACE_MS = 2_000;

function describe(target: Omit<SshTarget, 'username'> & { username?: string }): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `ssh://${target.username === undefined ? '' : `${target.username}@`}${host}:${target.port}`;
}

function baseConfig(target: Omit<SshTarget, 'username'>, options: SshOptions): ConnectConfig {
  const config: ConnectConfig = {
    host: target.host,
    port: target.port,
    // Covers TCP connect, key exchange and authentication.
    readyTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    tryKeyboard: false,
  };
  if (options.keepaliveIntervalMs !== undefined) {
    config.keepaliveInterval = options.keepaliveIntervalMs;
  }
  return config;
}

/**
 * Opens an authenticated SSH connection. The host key is checked during key exchange: for anything but an
 * `accept` verdict the connection is refused before the userauth service is requested, so no credential is sent.
 */
export async function connectSsh(
  target: SshTarget,
  auth: SshAuth,
  verifyHostKey: HostKeyVerifier,
  options: SshOptions,
): Promise<Connection> {
  const { client, logger } = await openAuthenticatedClient(target, auth, verifyHostKey, options);
  return new SshConnection(client, target, logger);
}

/**
 * The authenticated ssh2 client behind a connection, for the transports that need another channel than exec (SFTP);
 * the host key is checked exactly as for a vehicle.
 */
export async function openAuthenticatedClient(
  target: SshTarget,
  auth: SshAuth,
  verifyHostKey: HostKeyVerifier,
  options: SshOptions,
): Promise<{ client: Client; logger: Logger }> {
  const logger = options.logger.child({ unit: target.label });
  const ctx: ConnectContext = {
    ...target,
    authKind: auth.kind,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  const gate = createHostKeyGate(verifyHostKey);
  const config: ConnectConfig = {
    ...baseConfig(target, options),
    username: target.username,
    hostVerifier: gate.hostVerifier,
  };
  if (auth.kind === 'key') {
    config.privateKey = auth.privateKey;
    if (auth.passphrase !== undefined) {
      config.passphrase = auth.passphrase;
    }
  } else {
    config.password = auth.password;
  }
  const client = new Client();
  logger.debug('ssh connecting', { to: describe(target), auth: auth.kind });
  await handshake(client, config, ctx, gate.outcome, logger);
  logger.info('ssh connected', { to: describe(target) });
  return { client, logger };
}

/**
 * Learns the key a host presents without logging in: the key exchange runs, the key is then refused on purpose,
 * and no username, key or password is ever offered.
 */
export async function probeHostKey(
  target: Omit<SshTarget, 'username'>,
  options: SshOptions,
): Promise<PresentedHostKey> {
  const logger = options.logger.child({ unit: target.label });
  const gate = createHostKeyGate(() => ({ kind: 'unknown' }));
  const ctx: ConnectContext = {
    ...target,
    username: '',
    authKind: 'none',
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  // ssh2 insists on a username; it would only travel in a userauth request, which the refused key prevents.
  const config: ConnectConfig = {
    ...baseConfig(target, options),
    username: 'ohtw-probe',
    hostVerifier: gate.hostVerifier,
  };
  const client = new Client();
  try {
    await handshake(client, config, ctx, gate.outcome, logger);
  } catch (error) {
    const outcome = gate.outcome();
    if (outcome?.kind === 'verdict') {
      logger.debug('ssh host key probed', { to: describe(target), fingerprint: outcome.key.fingerprint });
      return outcome.key;
    }
    throw error;
  }
  client.destroy();
  throw new BugError('host key probe logged in although every key is refused');
}

/** True if `promise` settled within CLOSE_GRACE_MS. */
async function withinGrace(promise: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CLOSE_GRACE_MS);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

class SshConnection implements Connection, StreamChannel, ShellChannel, SftpChannel {
  readonly description: string;
  private state: 'open' | 'lost' | 'closed' = 'open';
  private lostReason = '';
  private socketClosed = false;
  private closing: Promise<void> | undefined;
  private readonly endListeners = new Set<(end: ConnectionEnd) => Promise<void> | undefined>();

  constructor(
    private readonly client: Client,
    private readonly target: SshTarget,
    private readonly logger: Logger,
  ) {
    this.description = describe(target);
    // After login, errors (keepalive timeout, reset) and the socket ending all mean the same: the connection is gone.
    client.on('error', (error) => this.lose(errorMessage(error)));
    client.on('end', () => this.lose('the vehicle closed the connection'));
    client.on('close', () => {
      this.socketClosed = true;
      this.lose('the connection closed');
    });
  }

  exec(command: string, options: ExecOptions): Promise<ExecResult> {
    if (this.state === 'closed') {
      return Promise.reject(closedByWorkstation(this.target.label));
    }
    if (this.state === 'lost') {
      return Promise.reject(connectionLost(this.target.label, this.lostReason));
    }
    return execOnClient(this.client, command, options, {
      label: this.target.label,
      username: this.target.username,
      logger: this.logger,
      onEnd: (listener) => {
        this.endListeners.add(listener);
        return () => this.endListeners.delete(listener);
      },
    });
  }

  execStream(command: string, options: StreamExecOptions): StreamingExec {
    // A connection already gone gives a stream that fails at once, through the same paths as one that fails later.
    return execStreamOnClient(this.client, command, options, this.execContext(), this.gone());
  }

  openShell(options: ShellOptions): Promise<InteractiveShell> {
    const gone = this.gone();
    return gone ? Promise.reject(gone) : openShellOnClient(this.client, options, this.execContext());
  }

  openSftp(): Promise<SftpSession> {
    const gone = this.gone();
    return gone ? Promise.reject(gone) : openSftpOnClient(this.client, this.execContext());
  }

  /** Why nothing new can start on this connection, if it is closed or lost. */
  private gone(): AppError | undefined {
    if (this.state === 'closed') {
      return closedByWorkstation(this.target.label);
    }
    return this.state === 'lost' ? connectionLost(this.target.label, this.lostReason) : undefined;
  }

  private execContext(): ExecContext {
    return {
      label: this.target.label,
      username: this.target.username,
      logger: this.logger,
      onEnd: (listener) => {
        this.endListeners.add(listener);
        return () => this.endListeners.delete(listener);
      },
    };
  }

  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    const stopping = this.end({ byWorkstation: true, reason: 'closed by the workstation' });
    this.state = 'closed';
    // Commands whose channel is still opening get their stop signal once it opens; the disconnect would beat it.
    await withinGrace(Promise.all(stopping));
    if (this.socketClosed) {
      return;
    }
    const closed = new Promise<void>((resolve) => this.client.once('close', () => resolve()));
    this.client.end();
    if (!(await withinGrace(closed))) {
      this.client.destroy();
    }
  }

  private lose(reason: string): void {
    if (this.state !== 'open') {
      return;
    }
    this.state = 'lost';
    this.lostReason = reason;
    this.logger.info('ssh connection lost', { reason });
    // Nothing to wait for: the socket is already gone, so the commands' channels went with it.
    void this.end({ byWorkstation: false, reason });
  }

  private end(end: ConnectionEnd): Promise<void>[] {
    const listeners = [...this.endListeners];
    this.endListeners.clear();
    return listeners.flatMap((listener) => listener(end) ?? []);
  }
}
