import { randomUUID } from 'node:crypto';

import { AppError } from '../../../shared/errors/AppError';
import type { EventName, EventPayload } from '../../../shared/ipc/contract';
import type { StreamKind } from '../../../shared/ipc/contracts/streams';
import type { EventHub } from '../ports/EventHub';
import type { Clock } from '../ports/Clock';
import type { Logger } from '../ports/Logger';

/** What produces a stream's data on the vehicle side: told of credit, stopped when the consumer goes away. */
export type StreamSource = {
  /** The consumer took `amount` more; the source may send that much more. */
  onAck(amount: number): void;
  /** Ends the remote side (closes the SSH channel, so no shell or journalctl is left on the vehicle). */
  stop(reason: string): Promise<void>;
};

export type StreamHandle = {
  readonly id: string;
  readonly kind: StreamKind;
  readonly unit: string;
  readonly owner: string | undefined;
  /** Sends one of the stream's own events, to its consumer only. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** The source ended by itself (the shell exited, the link dropped): tells the consumer and forgets the stream. */
  ended(reason: string, exitCode: number | null): void;
  readonly isOpen: boolean;
};

export type StreamHubOptions = {
  events: EventHub;
  clock: Clock;
  logger: Logger;
  /** A stream nobody acknowledged for this long is ended (30 s unless a test wants it shorter). */
  leaseMs?: number;
};

type Entry = {
  handle: StreamHandle;
  source: StreamSource;
  lastSeenMs: number;
};

export const DEFAULT_LEASE_MS = 30_000;

/**
 * Every stream open in the core, whoever opened it, with its consumer's lease. The browser host tells the hub when a
 * page's event socket goes away, so its streams end at once; a consumer that simply stops answering (a frozen tab, a
 * reloaded desktop window) loses its streams when the lease runs out. Either way the remote channel is closed.
 */
export class StreamHub {
  private readonly entries = new Map<string, Entry>();
  private readonly leaseMs: number;
  private sweepTimer: NodeJS.Timeout | undefined;
  private isClosed = false;

  constructor(private readonly options: StreamHubOptions) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  open(spec: { kind: StreamKind; unit: string; owner: string | undefined; source: StreamSource }): StreamHandle {
    if (this.isClosed) {
      throw new AppError('PRECONDITION_FAILED', 'the workstation is closing: no new streams');
    }
    const id = randomUUID();
    const { events } = this.options;
    const entries = this.entries;
    const handle: StreamHandle = {
      id,
      kind: spec.kind,
      unit: spec.unit,
      owner: spec.owner,
      emit: (name, payload) => {
        if (entries.has(id)) {
          events.emit(name, payload, spec.owner);
        }
      },
      ended: (reason, exitCode) => this.forget(id, reason, exitCode),
      get isOpen() {
        return entries.has(id);
      },
    };
    this.entries.set(id, { handle, source: spec.source, lastSeenMs: this.options.clock.now() });
    this.armSweep();
    return handle;
  }

  /** The stream, if `caller` may use it (a page only its own); renews the lease. NOT_FOUND otherwise. */
  require(streamId: string, caller: string | undefined, kind?: StreamKind): StreamHandle {
    const entry = this.entries.get(streamId);
    if (!entry || (entry.handle.owner !== undefined && entry.handle.owner !== caller)) {
      throw new AppError('NOT_FOUND', `no open stream ${streamId} (it ended, or belongs to another window)`);
    }
    if (kind !== undefined && entry.handle.kind !== kind) {
      throw new AppError('VALIDATION', `stream ${streamId} is a ${entry.handle.kind} stream, not ${kind}`);
    }
    entry.lastSeenMs = this.options.clock.now();
    return entry.handle;
  }

  ack(streamId: string, amount: number, caller: string | undefined): boolean {
    const entry = this.entries.get(streamId);
    if (!entry || (entry.handle.owner !== undefined && entry.handle.owner !== caller)) {
      return false;
    }
    entry.lastSeenMs = this.options.clock.now();
    if (amount > 0) {
      entry.source.onAck(amount);
    }
    return true;
  }

  async close(streamId: string, reason: string, caller?: string): Promise<boolean> {
    const entry = this.entries.get(streamId);
    if (!entry || (caller !== undefined && entry.handle.owner !== undefined && entry.handle.owner !== caller)) {
      return false;
    }
    this.forget(streamId, reason, null);
    await this.stopSource(entry, reason);
    return true;
  }

  /** A page went away (its event socket closed): every stream it opened ends now. */
  async releaseClient(client: string): Promise<void> {
    const owned = [...this.entries.values()].filter((entry) => entry.handle.owner === client);
    await Promise.all(owned.map((entry) => this.close(entry.handle.id, 'the window that opened it was closed')));
  }

  get size(): number {
    return this.entries.size;
  }

  async closeAll(reason = 'the workstation is closing'): Promise<void> {
    this.isClosed = true;
    const all = [...this.entries.values()];
    await Promise.all(all.map((entry) => this.close(entry.handle.id, reason)));
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private forget(streamId: string, reason: string, exitCode: number | null): void {
    const entry = this.entries.get(streamId);
    if (!entry) {
      return;
    }
    this.entries.delete(streamId);
    const { handle } = entry;
    this.options.events.emit(
      'streams.ended',
      { streamId, kind: handle.kind, unit: handle.unit, reason, exitCode },
      handle.owner,
    );
    if (this.entries.size === 0) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
    }
  }

  private async stopSource(entry: Entry, reason: string): Promise<void> {
    try {
      await entry.source.stop(reason);
    } catch (error) {
      this.options.logger.warn('a stream did not stop cleanly', { streamId: entry.handle.id, error: String(error) });
    }
  }

  private armSweep(): void {
    if (this.sweepTimer !== undefined) {
      return;
    }
    this.sweepTimer = setInterval(() => this.sweep(), Math.max(50, Math.min(5_000, Math.floor(this.leaseMs / 3))));
    // The sweep alone must not keep a CLI process alive.
    this.sweepTimer.unref();
  }

  private sweep(): void {
    const now = this.options.clock.now();
    for (const entry of [...this.entries.values()]) {
      if (now - entry.lastSeenMs > this.leaseMs) {
        this.options.logger.info('stream lease expired; ending it', {
          streamId: entry.handle.id,
          kind: entry.handle.kind,
        });
        void this.close(
          entry.handle.id,
          `nobody acknowledged it for ${Math.round(this.leaseMs / 1000)} s (the window stopped answering)`,
        );
      }
    }
  }
}
