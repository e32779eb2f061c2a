import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { WebSocketServer, type WebSocket } from 'ws';

import type { Logger } from '../core/ports/Logger';
import type { EventFanout } from './EventFanout';
import type { Refusal } from './requestGuard';

export type EventSocketServerOptions = {
  fanout: EventFanout;
  logger: Logger;
  /** How often each page is pinged; a page that missed the previous ping is cut off. */
  heartbeatMs: number;
  /** How long close() waits for pages to acknowledge the close frame before cutting them off. */
  closeGraceMs?: number;
  /** A page's last socket closed: the streams it opened must end. */
  onClientGone?: (client: string) => void;
};

export type EventSocketServer = {
  /** `client`: the page's name for itself, when it gave one. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, client?: string): void;
  close(): Promise<void>;
};

/** Answers a refused upgrade with a plain HTTP error and the same envelope the call route would send. */
export function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const body = JSON.stringify({ ok: false, error: { code: refusal.code, message: refusal.message } });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The event stream of `GET /api/events`. Pages only listen: anything they send is ignored, and frames
 * are kept tiny so a page cannot make the host buffer much.
 */
export function createEventSocketServer(options: EventSocketServerOptions): EventSocketServer {
  const { fanout, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  const alive = new WeakSet<WebSocket>();

  const heartbeat = setInterval(() => {
    for (const client of wss.clients) {
      if (!alive.has(client)) {
        logger.info('event client stopped answering pings; closing it');
        client.terminate();
        continue;
      }
      alive.delete(client);
      client.ping();
    }
  }, options.heartbeatMs);
  // The heartbeat alone must not keep a CLI process alive.
  heartbeat.unref();

  return {
    accept(req, socket, head, clientName) {
      wss.handleUpgrade(req, socket, head, (client) => {
        alive.add(client);
        fanout.add(client, clientName);
        client.on('pong', () => alive.add(client));
        client.on('error', (error) => logger.debug('event client error', { error: String(error) }));
        client.on('close', () => {
          const gone = fanout.remove(client);
          if (gone !== undefined) {
            options.onClientGone?.(gone);
          }
        });
      });
    },
    async close() {
      clearInterval(heartbeat);
      const graceMs = options.closeGraceMs ?? 1000;
      const closing = [...wss.clients].map(
        (client) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              client.terminate();
              resolve();
            }, graceMs);
            client.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
            client.close(1001, 'workstation host is closing');
          }),
      );
      await Promise.all(closing);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
