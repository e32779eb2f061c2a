import type { ErrorCode } from '../../shared/errors/AppError';

/** Why a request is turned away before it reaches the core: an HTTP status and the envelope's error. */
export type Refusal = { status: number; code: ErrorCode; message: string };

/**
 * The Host header must name this loopback listener. A page on a rebinding domain (evil.example resolving
 * to 127.0.0.1) sends its own name here, so checking it stops DNS rebinding even before the token does.
 */
export function checkHost(host: string | undefined, port: number): Refusal | undefined {
  const allowed = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (host !== undefined && allowed.includes(host.toLowerCase())) {
    return undefined;
  }
  return { status: 403, code: 'FORBIDDEN_ORIGIN', message: 'This host only answers requests addressed to itself' };
}

/** Browsers always send Origin on cross-origin requests and WebSocket upgrades; only our own page may call. */
export function checkOrigin(origin: string | undefined, ownOrigin: string): Refusal | undefined {
  if (origin === undefined || origin === ownOrigin) {
    return undefined;
  }
  return { status: 403, code: 'FORBIDDEN_ORIGIN', message: 'Requests from other sites are refused' };
}

export const UNAUTHORIZED: Refusal = {
  status: 401,
  code: 'UNAUTHORIZED',
  message: 'Missing or wrong session token; open the address the workstation printed at start',
};
