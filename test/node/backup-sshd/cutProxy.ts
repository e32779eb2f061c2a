import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of the sshd: the workstation connects through it, and a test can cut every connection once a
 * number of bytes came back from the server, as a Wi-Fi link dropping in the middle of a backup does (no FIN, no
 * SSH disconnect: the sockets are destroyed).
 */
export type CutProxy = {
  port: number;
  /** Cut each connection after this many bytes from the server; null relays everything. */
  cutAfter(bytes: number | null): void;
  /** How many connections were cut so far. */
  cuts(): number;
  close(): Promise<void>;
};

export async function startCutProxy(targetPort: number): Promise<CutProxy> {
  let limit: number | null = null;
  let cutCount = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(client);
    sockets.add(upstream);
    let fromServer = 0;
    const cut = (): void => {
      cutCount += 1;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      fromServer += chunk.length;
      if (limit !== null && fromServer > limit) {
        cut();
        return;
      }
      client.write(chunk);
    });
    const end = (): void => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('the relay has no port');
  }
  return {
    port: address.port,
    cutAfter(bytes) {
      limit = bytes;
    },
    cuts: () => cutCount,
    async close() {
      for (const socket of sockets) {
        socket.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
