import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

import { CLIENT_QUERY_PARAM, HTTP_CALL_PATH, HTTP_EVENTS_PATH, TOKEN_QUERY_PARAM } from '../../shared/ipc/faces';
import type { Logger } from '../core/ports/Logger';
import { CLIENT_ID, handleCall, type Dispatch } from './callRoute';
import { buildContentSecurityPolicy } from './csp';
import { EventFanout } from './EventFanout';
import { createEventSocketServer, refuseUpgrade, type EventSocketServer } from './eventSocket';
import { checkHost, checkOrigin, UNAUTHORIZED, type Refusal } from './requestGuard';
import { securityHeaders, sendError } from './respond';
import { serveStatic } from './staticFiles';
import { bearerToken, generateToken, tokensEqual } from './token';

export type BrowserHostOptions = {
  dispatch: Dispatch;
  /** `to`: the page an event is for (a stream's data); absent: for every page. */
  subscribe: (listener: (event: { name: string; payload: unknown; to?: string | undefined }) => void) => () => void;
  /** A page's event socket closed: the streams it opened end (their channels on the vehicles close). */
  releaseClient?: (client: string) => Promise<void>;
  /** The built renderer: index.html and its assets. */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
  logger: Logger;
  /** 32 random bytes, base64url, when absent. */
  token?: string;
  /** Ping interval of the event stream; 30 s unless a test needs it faster. */
  heartbeatMs?: number;
};

export type BrowserHost = {
  /** `http://127.0.0.1:PORT/?token=TOKEN`: what the technician opens. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
};

const LOOPBACK = '127.0.0.1';
/** Everything under it is API: never a file, never the single-page fallback. */
const API_ROOT = '/api';

/**
 * The browser face: the same API as the Electron shell, over HTTP and WebSocket, on loopback only. The
 * per-launch token keeps other local users' pages out; the Host and Origin checks keep other sites'
 * pages (and DNS rebinding) out even before the token is looked at.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const logger = options.logger.child({ face: 'browser' });
  const token = options.token ?? generateToken();
  const fanout = new EventFanout(logger);
  const events = createEventSocketServer({
    fanout,
    logger,
    heartbeatMs: options.heartbeatMs ?? 30_000,
    onClientGone: (client) => {
      options.releaseClient?.(client).catch((error: unknown) => {
        logger.warn("a closed page's streams did not all end cleanly", { error: String(error) });
      });
    },
  });

  // The port (hence the origin and the CSP) is known only once listening; handlers read it from here.
  const served: Served = { port: 0, origin: '', headers: {}, token, options, logger, events };
  const server = createServer((req, res) => {
    answerRequest(served, req, res).catch((error: unknown) => {
      logger.error('request failed', { error: String(error) });
      if (!res.headersSent) {
        sendError(res, 500, 'INTERNAL', 'The workstation host failed to answer');
      } else {
        res.destroy();
      }
    });
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    answerUpgrade(served, req, socket, head),
  );

  const port = await listen(server, options.port);
  const origin = `http://${LOOPBACK}:${port}`;
  served.port = port;
  served.origin = origin;
  served.headers = securityHeaders(buildContentSecurityPolicy({ connectSources: [`ws://${LOOPBACK}:${port}`] }));
  const unsubscribe = options.subscribe((event) => fanout.broadcast(event));
  logger.info('browser host listening', { port, staticDir: options.staticDir });

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?${TOKEN_QUERY_PARAM}=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    close() {
      closing ??= (async () => {
        unsubscribe();
        await events.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Idle keep-alive connections would otherwise hold close() open for seconds.
          server.closeAllConnections();
        });
        logger.info('browser host closed', { port });
      })();
      return closing;
    },
  };
}

/** What the request handlers read: the port and origin once listening, the token, the event sockets. */
type Served = {
  port: number;
  origin: string;
  headers: Record<string, string>;
  token: string;
  options: BrowserHostOptions;
  logger: Logger;
  events: EventSocketServer;
};

function guard(served: Served, req: IncomingMessage): Refusal | undefined {
  return checkHost(req.headers.host, served.port) ?? checkOrigin(req.headers.origin, served.origin);
}

/** Files for any path outside the API; the API only with the Host, the Origin and the token right. */
async function answerRequest(served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { options, logger } = served;
  for (const [name, value] of Object.entries(served.headers)) {
    res.setHeader(name, value);
  }
  const rawUrl = req.url ?? '/';
  const hostRefusal = checkHost(req.headers.host, served.port);
  if (hostRefusal !== undefined) {
    sendError(res, hostRefusal.status, hostRefusal.code, hostRefusal.message);
    return;
  }
  const pathname = rawUrl.split(/[?#]/, 1)[0] ?? '';
  if (pathname !== API_ROOT && !pathname.startsWith(`${API_ROOT}/`)) {
    await serveStatic(req, res, options.staticDir, logger);
    return;
  }
  const refusal = guard(served, req) ?? (hasBearer(req, served.token) ? undefined : UNAUTHORIZED);
  if (refusal !== undefined) {
    sendError(res, refusal.status, refusal.code, refusal.message);
    return;
  }
  if (pathname.startsWith(HTTP_CALL_PATH)) {
    await handleCall(req, res, pathname.slice(HTTP_CALL_PATH.length), options.dispatch, logger);
    return;
  }
  sendError(res, 404, 'NOT_FOUND', `No such API path: ${pathname}`);
}

/** The event socket, for a page that presents the token in its URL (a browser cannot set headers on a WebSocket). */
function answerUpgrade(served: Served, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
  if (url.pathname !== HTTP_EVENTS_PATH) {
    refuseUpgrade(socket, { status: 404, code: 'NOT_FOUND', message: 'No event stream here' });
    return;
  }
  const presented = url.searchParams.get(TOKEN_QUERY_PARAM);
  const refusal =
    guard(served, req) ?? (presented !== null && tokensEqual(presented, served.token) ? undefined : UNAUTHORIZED);
  if (refusal !== undefined) {
    refuseUpgrade(socket, refusal);
    return;
  }
  const client = url.searchParams.get(CLIENT_QUERY_PARAM);
  served.events.accept(req, socket, head, client !== null && CLIENT_ID.test(client) ? client : undefined);
}

function hasBearer(req: IncomingMessage, token: string): boolean {
  const presented = bearerToken(req.headers.authorization);
  return presented !== undefined && tokensEqual(presented, token);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // Loopback only: the host is for the browser on this machine, never for the network.
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
