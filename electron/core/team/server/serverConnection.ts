import { readFileSync } from 'node:fs';

import pg from 'pg';

import { AppError } from '../../../../shared/errors/AppError';
import { formatTeamUrl, isLoopback, type TeamUrl } from '../teamUrl';

export type ServerConnectOptions = {
  url: TeamUrl;
  password: string;
  /** A CA certificate file (PEM) to verify the server's certificate by, instead of the system's CAs. */
  caFile?: string | null;
  connectTimeoutMs?: number;
};

/**
 * Connects to the team server. Off the laptop, the link is TLS and the server's certificate is verified against its
 * host name (the system's CAs, or the one given); nothing is sent to a server that cannot prove who it is. On the
 * laptop itself (loopback) the link is plain, as it cannot be listened to.
 */
export async function connectServer(options: ServerConnectOptions): Promise<pg.Client> {
  const { url } = options;
  const client = new pg.Client({
    host: url.host,
    port: url.port,
    user: url.user,
    database: url.database,
    password: options.password,
    ssl: isLoopback(url.host) ? false : tlsOptions(url.host, options.caFile ?? null),
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    statement_timeout: 60_000,
    application_name: 'ohtw',
  });
  // An error after connecting (the link dropped) is reported through the query that was running; this keeps an idle
  // client's error from becoming an uncaught exception.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw describeConnectFailure(error, url);
  }
  return client;
}

function tlsOptions(
  host: string,
  caFile: string | null,
): { rejectUnauthorized: true; servername: string; ca?: string } {
  if (caFile === null) {
    return { rejectUnauthorized: true, servername: host };
  }
  try {
    return { rejectUnauthorized: true, servername: host, ca: readFileSync(caFile, 'utf8') };
  } catch (error) {
    throw new AppError(
      'KEY_FILE',
      `cannot read the team server's CA certificate ${caFile}: ${(error as Error).message}`,
    );
  }
}

/** A connection failure as one line that says what to do. */
export function describeConnectFailure(error: unknown, url: TeamUrl): AppError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const where = formatTeamUrl(url);
  if (code === '28P01' || code === '28000') {
    return new AppError('AUTH_FAILED', `the team server ${where} refused the sign-in of ${url.user}: ${message}`);
  }
  if (code === '3D000') {
    return new AppError('NOT_FOUND', `the team server has no database ${url.database} (${where})`);
  }
  if (/certificate|self.signed|SSL|TLS/i.test(message) || code === 'DEPTH_ZERO_SELF_SIGNED_CERT') {
    return new AppError(
      'CONNECT_FAILED',
      `the team server ${where} could not prove who it is over TLS (${message}); give its CA with --ca FILE`,
    );
  }
  return new AppError('CONNECT_FAILED', `cannot reach the team server ${where}: ${message}`, {
    cause: error,
  });
}
