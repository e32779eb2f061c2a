import { AppError } from '../../../shared/errors/AppError';

/**
 * The team server's address as a technician types it: `postgres://user@host:port/db`. The password is never part of
 * it (it comes from an environment variable or the OS keychain), so the address can be stored, shown and logged.
 */
export type TeamUrl = { user: string; host: string; port: number; database: string };

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

export function parseTeamUrl(text: string): TeamUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid(text, 'it is not a URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw invalid(text, 'it must start with postgres://');
  }
  if (url.password !== '') {
    throw new AppError(
      'VALIDATION',
      'the team server address must not hold the password (it would be stored in plain text): give it in an environment variable (--password-env VAR) or the OS keychain',
    );
  }
  const user = decodeURIComponent(url.username);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (user === '' || !/^[A-Za-z0-9_.-]{1,63}$/.test(user)) {
    throw invalid(text, 'it must name the user (postgres://user@host:port/db)');
  }
  if (database === '' || !/^[A-Za-z0-9_.-]{1,63}$/.test(database)) {
    throw invalid(text, 'it must name the database (postgres://user@host:port/db)');
  }
  if (url.search !== '' || url.hash !== '') {
    throw invalid(text, 'options after the database are not read (the CA is given with --ca FILE)');
  }
  const port = url.port === '' ? 5432 : Number(url.port);
  return { user, host: url.hostname.replace(/^\[|\]$/g, ''), port, database };
}

export function formatTeamUrl(url: TeamUrl): string {
  const host = url.host.includes(':') ? `[${url.host}]` : url.host;
  return `postgres://${encodeURIComponent(url.user)}@${host}:${url.port}/${encodeURIComponent(url.database)}`;
}

/** On the laptop itself the link cannot be listened to; anywhere else TLS with the server's certificate verified. */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function invalid(text: string, why: string): AppError {
  return new AppError('VALIDATION', `"${text}" is not a team server address: ${why}`);
}
