import { AppError } from '../../../../shared/errors/AppError';
import { errorMessage } from './oneLine';

export type ConnectContext = {
  label: string;
  host: string;
  port: number;
  username: string;
  authKind: 'key' | 'password' | 'none';
  connectTimeoutMs: number;
};

/** ssh2 tags the errors it emits with a `level` (client-socket, client-timeout, handshake, …) and sockets add `code`. */
function tagsOf(error: unknown): { level: string | undefined; code: string | undefined } {
  if (typeof error !== 'object' || error === null) {
    return { level: undefined, code: undefined };
  }
  const { level, code } = error as { level?: unknown; code?: unknown };
  return {
    level: typeof level === 'string' ? level : undefined,
    code: typeof code === 'string' ? code : undefined,
  };
}

/** Socket error codes a technician can act on, in words. */
const SOCKET_FAILURES = new Map<string, (host: string, where: string) => string>([
  ['ECONNREFUSED', (_host, where) => `connection refused by ${where} (is sshd running and the port right?)`],
  ['ENOTFOUND', (host) => `unknown host ${host}`],
  ['EAI_AGAIN', (host) => `unknown host ${host} (name lookup failed)`],
  ['EHOSTUNREACH', (host) => `${host} is unreachable`],
  ['ENETUNREACH', (host) => `${host} is unreachable (no route to its network)`],
  ['EHOSTDOWN', (host) => `${host} is down`],
  ['ETIMEDOUT', (_host, where) => `connecting to ${where} timed out`],
  ['ECONNRESET', (_host, where) => `${where} reset the connection`],
  ['EPIPE', (_host, where) => `${where} reset the connection`],
]);

/** Turns what ssh2 throws or emits while the client is still connecting into one AppError line. */
export function connectError(ctx: ConnectContext, error: unknown): AppError {
  const { label, host, port } = ctx;
  const where = `${host}:${port}`;
  const { level, code } = tagsOf(error);
  const reason = errorMessage(error);
  const failed = (message: string, retryable = true): AppError =>
    new AppError('CONNECT_FAILED', `${label}: ${message}`, { retryable, cause: error, details: { host, port } });

  if (level === 'client-authentication') {
    const what = ctx.authKind === 'password' ? 'password' : 'key';
    return new AppError('AUTH_FAILED', `${label}: ${where} refused the ${what} for user '${ctx.username}'`, {
      cause: error,
      details: { host, port, username: ctx.username },
    });
  }
  if (level === 'client-timeout') {
    return failed(`no SSH login on ${where} within ${ctx.connectTimeoutMs / 1000} s (connect timeout)`);
  }
  if (level === 'client-socket' || level === 'client-dns') {
    const cause = code === undefined ? undefined : SOCKET_FAILURES.get(code);
    return failed(cause === undefined ? `cannot connect to ${where}: ${reason}` : cause(host, where));
  }
  if (level === 'handshake') {
    // Algorithm negotiation failures do not go away by retrying.
    return failed(`SSH handshake with ${where} failed: ${reason}`, false);
  }
  return failed(`connection to ${where} failed: ${reason}`);
}

/** The connection ended before login completed without ssh2 reporting why. */
export function closedBeforeLogin(ctx: ConnectContext): AppError {
  return new AppError('CONNECT_FAILED', `${ctx.label}: ${ctx.host}:${ctx.port} closed the connection before login`, {
    retryable: true,
    details: { host: ctx.host, port: ctx.port },
  });
}

/**
 * ssh2 parses the private key inside `connect()` and throws synchronously, before opening a socket. Its messages
 * are the only signal of what was wrong, so they are matched here and nowhere else.
 */
export function keyFileError(label: string, error: unknown, hasPassphrase: boolean): AppError {
  const reason = errorMessage(error);
  let message: string;
  if (/no passphrase given/i.test(reason)) {
    message = 'the private key is encrypted and no passphrase was given';
  } else if (hasPassphrase && /bad passphrase|decrypt|integrity check/i.test(reason)) {
    message = 'wrong passphrase for the private key';
  } else if (/does not contain a \(valid\) private key/i.test(reason)) {
    message = 'the key file holds no private key (is it the .pub file?)';
  } else {
    message = `the private key cannot be read (${reason.replace(/^Cannot parse privateKey: /, '')})`;
  }
  return new AppError('KEY_FILE', `${label}: ${message}`, { cause: error });
}

export function isKeyParseError(error: unknown): boolean {
  const reason = errorMessage(error);
  return /^Cannot parse privateKey|does not contain a \(valid\) private key/.test(reason);
}
