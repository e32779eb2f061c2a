import type { Logger } from '../core/ports/Logger';

/** What the fanout needs of a WebSocket; `ws` sockets fit, and tests pass plain objects. */
export type EventSocketLike = {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string): void;
};

const OPEN = 1;

/** About one MiB: far more than a healthy page ever has in flight, small enough to never matter for memory. */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * Sends each core event to every connected page. A page that stops reading (a frozen tab, a stalled
 * link) has its events dropped and counted instead of queued without limit: the core must not grow its
 * memory because one browser tab is slow.
 */
export class EventFanout {
  private readonly drops = new Map<EventSocketLike, number>();
  /** The page each socket belongs to, where the page named itself. */
  private readonly clients = new Map<EventSocketLike, string>();

  constructor(
    private readonly logger: Logger,
    private readonly maxBufferedBytes: number = MAX_BUFFERED_BYTES,
  ) {}

  add(socket: EventSocketLike, client?: string): void {
    this.drops.set(socket, 0);
    if (client !== undefined) {
      this.clients.set(socket, client);
    }
  }

  /** Forgets the socket; answers its page's name when no other socket of that page is left. */
  remove(socket: EventSocketLike): string | undefined {
    const dropped = this.drops.get(socket) ?? 0;
    if (dropped > 0) {
      this.logger.warn('event client left after missing events', { dropped });
    }
    this.drops.delete(socket);
    const client = this.clients.get(socket);
    this.clients.delete(socket);
    return client !== undefined && ![...this.clients.values()].includes(client) ? client : undefined;
  }

  get size(): number {
    return this.drops.size;
  }

  /** Events this socket did not get because it was too far behind. */
  droppedFor(socket: EventSocketLike): number {
    return this.drops.get(socket) ?? 0;
  }

  /** Sends the event to every page, or to the one page it is addressed to (`to`: a stream's data). */
  broadcast(event: { name: string; payload: unknown; to?: string | undefined }): void {
    const data = JSON.stringify({ name: event.name, payload: event.payload });
    for (const [socket, dropped] of this.drops) {
      if (socket.readyState !== OPEN || (event.to !== undefined && this.clients.get(socket) !== event.to)) {
        continue;
      }
      if (socket.bufferedAmount > this.maxBufferedBytes) {
        if (dropped === 0) {
          this.logger.warn('event client is not keeping up; dropping its events', {
            bufferedBytes: socket.bufferedAmount,
          });
        }
        this.drops.set(socket, dropped + 1);
        continue;
      }
      socket.send(data);
    }
  }
}
