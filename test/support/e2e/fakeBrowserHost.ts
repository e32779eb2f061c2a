import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebSocketServer } from 'ws';

import { HTTP_CALL_PATH, HTTP_EVENTS_PATH, TOKEN_QUERY_PARAM } from '../../../shared/ipc/faces';
import type { Envelope } from '../../../shared/ipc/envelope';
import { serveStatic } from './staticFiles';

export type FakeHostOptions = {
  dispatch: (name: unknown, input: unknown) => Promise<Envelope<unknown>>;
  subscribe: (listener: (event: { name: string; payload: unknown }) => void) => () => void;
  staticDir: string;
  token: string;
};

export type FakeHost = {
  url: string;
  origin: string;
  /** Cuts the event stream and refuses it until called with false: a host restart or a laptop waking from sleep. */
  setEventsDown(isDown: boolean): void;
  close(): Promise<void>;
};

/**
 * The browser host's protocol, as shared/ipc/faces.ts defines it, in a few lines: the built renderer, POST calls
 * with a bearer token, and events on a WebSocket. It stands in for the real host so the UI can be tested on its own.
 */
export async function startFakeBrowserHost(options: FakeHostOptions): Promise<FakeHost> {
  const sockets = new WebSocketServer({ noServer: true });
  let areEventsDown = false;
  const server = createServer((request, response) => {
    void handle(options, request, response);
  });

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== HTTP_EVENTS_PATH || url.searchParams.get(TOKEN_QUERY_PARAM) !== options.token) {
      socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
      return;
    }
    if (areEventsDown) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const stop = options.subscribe((event) => ws.send(JSON.stringify(event)));
      ws.on('close', stop);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/?${TOKEN_QUERY_PARAM}=${encodeURIComponent(options.token)}`,
    setEventsDown: (isDown) => {
      areEventsDown = isDown;
      if (isDown) {
        sockets.clients.forEach((client) => client.terminate());
      }
    },
    close: async () => {
      sockets.clients.forEach((client) => client.terminate());
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(options: FakeHostOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (!url.pathname.startsWith(HTTP_CALL_PATH)) {
    await serveStatic(options.staticDir, url.pathname, response);
    return;
  }
  const reply = (status: number, envelope: Envelope<unknown>): void => {
    response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(envelope));
  };
  if (request.method !== 'POST') {
    reply(405, { ok: false, error: { code: 'VALIDATION', message: 'Calls are POST' } });
    return;
  }
  if (request.headers.authorization !== `Bearer ${options.token}`) {
    reply(401, { ok: false, error: { code: 'UNAUTHORIZED', message: 'Missing or wrong token' } });
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  let input: unknown;
  try {
    input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  } catch {
    reply(400, { ok: false, error: { code: 'VALIDATION', message: 'Body is not JSON' } });
    return;
  }
  reply(200, await options.dispatch(decodeURIComponent(url.pathname.slice(HTTP_CALL_PATH.length)), input));
}
