import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect as connectTcp, createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** Polls until the check returns a value (not undefined/false), or fails after timeoutMs with the label. */
export async function eventually<T>(label: string, check: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) {
      return value;
    }
    if (Date.now() > until) {
      throw new Error(`timed out waiting for ${label}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export type FakeBackend = {
  port: number;
  /** 'ok' answers the telemetry, 'html' a proxy's error page. */
  mode: 'ok' | 'html';
  requests: number;
  close(): Promise<void>;
};

/** The vehicle backend's GET /api/v1/telemetry/current on 127.0.0.1, with a motor speed that moves per request. */
export async function startFakeBackend(): Promise<FakeBackend> {
  const backend: FakeBackend = { port: 0, mode: 'ok', requests: 0, close: async () => undefined };
  const server: HttpServer = createHttpServer((request, response) => {
    backend.requests += 1;
    if (backend.mode === 'html') {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<html>502 Bad Gateway</html>');
      return;
    }
    if (request.url !== '/api/v1/telemetry/current') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
      return;
    }
    const body = {
      timestamp: new Date().toISOString(),
      motor_speed: 1000 + (backend.requests % 10) * 10,
      motor_temperature: 42.5,
      dock_status: 'undocked',
      safety_status: 'normal',
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backend.port = (server.address() as AddressInfo).port;
  backend.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return backend;
}

export type TcpProxy = {
  port: number;
  /** Connections accepted so far. */
  accepted: number;
  /** Connections open now. */
  open(): number;
  /** Cuts every connection at once, as a pulled cable or a vehicle reboot would. */
  dropAll(): void;
  close(): Promise<void>;
};

/** A TCP relay on 127.0.0.1 in front of a real sshd, so a test can cut live SSH connections. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const proxy: TcpProxy = {
    port: 0,
    accepted: 0,
    open: () => sockets.size / 2,
    dropAll: () => sockets.forEach((socket) => socket.destroy()),
    close: async () => undefined,
  };
  const server = createTcpServer((client) => {
    proxy.accepted += 1;
    const upstream = connectTcp(targetPort, '127.0.0.1');
    track(client);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.port = (server.address() as AddressInfo).port;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      proxy.dropAll();
      server.close(() => resolve());
    });
  return proxy;
}
