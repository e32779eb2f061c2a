import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import ssh2, { type Connection, type ServerChannel, type Session } from 'ssh2';

import type { Clock } from '../core/ports/Clock';
import type { Logger } from '../core/ports/Logger';
import { answerCommand, type SimCommandResult } from './commands';
import { authenticate, type SimCredentials } from './simAuth';
import { startSimShell } from './simInteractiveShell';
import { followSimJournal, isJournalFollow } from './simJournalFollow';
import { serveSimSftp } from './simSftp';
import { loadOrCreateKey, type SimKey } from './simKeys';
import { simUser } from './shell/users';
import { SimVehicle, type SimVariant } from './SimVehicle';

export type SimUnitOptions = {
  name: string;
  variant: SimVariant;
  port: number;
  hostKeyPath: string;
  credentials: SimCredentials;
  clock?: Clock | undefined;
  logger: Logger;
};

export type SimUnitHandle = {
  vehicle: SimVehicle;
  port: number;
  hostKey: SimKey;
  close(): Promise<void>;
};

/**
 * Whether a command line (with any script it carries) runs a program that reads the exec's input: cat with no file or
 * `-`, tar extracting from `-` or reading its list from `-`, a staged apply script (which extracts), or curl taking
 * headers or data from `@-` (the firmware token of an E-Stop reset).
 */
export function readsInput(command: string): boolean {
  return /(?<!\|\s*)\bcat\s*(>|-(\s|$)|$|;|&)|\btar\b[^\n]*\s(-x|-T -)|\/apply\.sh\b|\bcurl\b[^\n]*\s@-(\s|$)/m.test(
    command,
  );
}

/**
 * Calls `answer` with the exec's input: at once (empty) for a command that reads none, as sshd starts a command at
 * once; once the input has ended for one that reads it (a script staged with cat, a list for tar -T -, an archive for
 * tar -x), since the simulated programs run to the end in one go.
 */
function whenInputEnds(channel: ServerChannel, command: string, answer: (stdin: Buffer) => void): void {
  if (!readsInput(command)) {
    channel.resume();
    answer(Buffer.alloc(0));
    return;
  }
  const input: Buffer[] = [];
  let size = 0;
  channel.on('data', (data: Buffer) => {
    size += data.length;
    if (size <= MAX_STDIN_BYTES) {
      input.push(data);
    }
  });
  channel.once('end', () => answer(Buffer.concat(input)));
}

/** What a simulated command takes on its input at most (a restore's archive of the unit's files fits easily). */
const MAX_STDIN_BYTES = 256 * 1024 * 1024;
/** How long a client gets to hang up after the disconnect message before its socket is destroyed. */
const CLOSE_GRACE_MS = 500;

/**
 * One simulated vehicle's SSH endpoint. The listening socket is ours (ssh2 gets each connection through
 * injectSocket) so that close() can account for every socket and leave no handle behind.
 */
export async function startSimUnit(options: SimUnitOptions): Promise<SimUnitHandle> {
  const { logger, credentials } = options;
  const hostKey = await loadOrCreateKey(options.hostKeyPath, `ohtw-sim ${options.name}`);
  const vehicle = new SimVehicle({ name: options.name, variant: options.variant, clock: options.clock });
  const sockets = new Set<Socket>();
  const connections = new Set<Connection>();
  const pending = new Set<NodeJS.Timeout>();

  const answer = (channel: ServerChannel, command: string, stdin: Buffer): void => {
    let done = false;
    const timer = setTimeout(() => {
      pending.delete(timer);
      done = true;
      let result: SimCommandResult;
      try {
        result = answerCommand(vehicle, command, { name: credentials.user }, stdin);
      } catch (error) {
        logger.error('simulator failed to answer a command', { command, error: String(error) });
        result = { stdout: '', stderr: 'simulator: internal error\n', exitCode: 255 };
      }
      if (result.stdout !== '') {
        channel.write(result.stdout);
      }
      if (result.stderr !== '') {
        channel.stderr.write(result.stderr);
      }
      channel.exit(result.exitCode);
      channel.end();
    }, vehicle.latencyMs);
    pending.add(timer);
    channel.on('close', () => {
      if (!done) {
        clearTimeout(timer);
        pending.delete(timer);
      }
    });
  };

  const onSession = (session: Session): void => {
    let hasTerminal = false;
    session.on('pty', (accept: (() => void) | undefined) => {
      hasTerminal = true;
      accept?.();
    });
    session.on('window-change', (accept: (() => void) | undefined) => accept?.());
    session.on('exec', (accept, _reject, info) => {
      const channel = accept() as ServerChannel | undefined;
      if (channel) {
        if (isJournalFollow(info.command)) {
          // journalctl --follow reads no input; draining it keeps a chatty client from stalling.
          channel.resume();
          followSimJournal(channel, vehicle, info.command);
        } else {
          whenInputEnds(channel, info.command, (stdin) => answer(channel, info.command, stdin));
        }
      }
    });
    session.on('shell', (accept) => {
      const channel = accept() as ServerChannel | undefined;
      if (channel) {
        startSimShell(channel, { vehicle, user: credentials.user, interactive: hasTerminal });
      }
    });
    session.on('sftp', (accept) => {
      const sftp = accept();
      serveSimSftp(sftp, vehicle, credentials.user, simUser(vehicle, credentials.user).home);
    });
    session.on('subsystem', (_accept, reject) => reject());
  };

  const ssh = new ssh2.Server({ hostKeys: [hostKey.privateKey] }, (connection) => {
    connections.add(connection);
    connection.on('close', () => connections.delete(connection));
    // ECONNRESET and protocol errors end that client only; the unit keeps serving.
    connection.on('error', (error) => logger.debug('client connection error', { error: error.message }));
    connection.on('authentication', (ctx) => {
      const outcome = authenticate(ctx, credentials);
      logger.debug('ssh authentication', { user: ctx.username, method: ctx.method, outcome });
    });
    connection.on('session', (accept) => onSession(accept()));
    // Port forwarding is refused: a vehicle's services are reached through the simulator's own answers.
    connection.on('tcpip', (_accept, reject) => reject());
    connection.on('openssh.streamlocal', (_accept, reject) => reject());
  });

  const listener: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', (error) => logger.debug('client socket error', { error: error.message }));
    ssh.injectSocket(socket);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(options.port, '127.0.0.1', () => {
        listener.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await nextLoopTurn();
    throw error;
  }
  listener.on('error', (error) => logger.warn('simulator listener error', { error: error.message }));
  const port = (listener.address() as AddressInfo).port;
  logger.info('simulated unit listening', { port, variant: options.variant, fingerprint: hostKey.fingerprint });

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    pending.forEach((timer) => clearTimeout(timer));
    pending.clear();
    const stopped = new Promise<void>((resolve) => listener.close(() => resolve()));
    connections.forEach((connection) => connection.end());
    await Promise.all([...sockets].map(hangUp));
    await stopped;
    await nextLoopTurn();
  };
  return { vehicle, port, hostKey, close: () => (closing ??= close()) };
}

/** Waits for a client to close after the disconnect, destroying its socket if it does not in time. */
function hangUp(socket: Socket): Promise<void> {
  if (socket.destroyed) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** libuv releases a closed handle one loop turn after the close event; waiting for it means none is left behind. */
function nextLoopTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
