import type { WorkstationApi } from './api';
import type { EventPayload } from './contract';

/** The stream events that carry data, each with the id of its stream. */
export type StreamDataEvent = 'terminal.output' | 'logs.lines';

export type IntervalTimers = {
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
};

export type StreamEnded = EventPayload<'streams.ended'>;

export type FollowOptions<E extends StreamDataEvent> = {
  /** `follower` is the stream's follower (data can come before the open call's answer has been returned). */
  onData(payload: EventPayload<E>, follower: StreamFollower): void;
  onEnded(ended: StreamEnded): void;
  timers: IntervalTimers;
  /** How often the lease is renewed while nothing is acknowledged (10 s; the core's lease is 30 s). */
  keepaliveMs?: number;
};

export type StreamFollower = {
  readonly streamId: string;
  /** The consumer took `amount` more (characters shown, lines kept): gives the producer that much credit back. */
  ack(amount: number): void;
  /** Ends the stream on the vehicle and stops following it. */
  close(): Promise<void>;
  /** Stops following without asking for anything (the stream already ended). */
  dispose(): void;
  readonly isOpen: boolean;
};

export const KEEPALIVE_MS = 10_000;

/**
 * Opens a stream and follows it, for every face alike (the renderer, the CLI): its data events (those that arrive
 * before the open call answers included), acknowledgements sent one at a time with what gathered meanwhile, a
 * keepalive so an idle stream keeps its lease, and its end.
 */
export async function followStream<E extends StreamDataEvent, R extends { streamId: string }>(
  api: WorkstationApi,
  event: E,
  open: () => Promise<R>,
  options: FollowOptions<E>,
): Promise<{ opened: R; follower: StreamFollower }> {
  let streamId: string | null = null;
  let current: StreamFollower | null = null;
  const early: EventPayload<E>[] = [];
  let earlyEnd: StreamEnded | null = null;
  let isOpen = true;
  let keepalive: unknown = null;
  const acks = new Acknowledger(api, () => (isOpen ? streamId : null));

  const stopFollowing = (): void => {
    if (!isOpen) {
      return;
    }
    isOpen = false;
    unsubscribeData();
    unsubscribeEnd();
    if (keepalive !== null) {
      options.timers.clearInterval(keepalive);
    }
  };
  const unsubscribeData = api.on(event, (payload) => {
    const data = payload as EventPayload<E> & { streamId: string };
    if (streamId === null) {
      early.push(data);
    } else if (data.streamId === streamId && current !== null) {
      options.onData(data, current);
    }
  });
  const unsubscribeEnd = api.on('streams.ended', (ended) => {
    if (streamId === null) {
      earlyEnd = ended;
    } else if (ended.streamId === streamId) {
      stopFollowing();
      options.onEnded(ended);
    }
  });

  let opened: R;
  try {
    opened = await open();
  } catch (error) {
    stopFollowing();
    throw error;
  }
  const id = opened.streamId;
  streamId = id;
  keepalive = options.timers.setInterval(() => acks.tick(), options.keepaliveMs ?? KEEPALIVE_MS);
  const follower: StreamFollower = {
    streamId: id,
    ack: (amount) => acks.add(amount),
    async close() {
      const wasOpen = isOpen;
      stopFollowing();
      if (wasOpen) {
        await api.call('streams.close', { streamId: id }).catch(() => undefined);
      }
    },
    dispose: stopFollowing,
    get isOpen() {
      return isOpen;
    },
  };
  current = follower;
  for (const data of early.splice(0)) {
    if ((data as { streamId: string }).streamId === id) {
      options.onData(data, follower);
    }
  }
  const endedEarly = earlyEnd as StreamEnded | null;
  if (endedEarly !== null && endedEarly.streamId === id) {
    stopFollowing();
    options.onEnded(endedEarly);
  }
  return { opened, follower };
}

/**
 * A stream's acknowledgements: one call at a time, with what gathered meanwhile sent next; the keepalive's tick sends
 * one (of nothing, if need be) when none went out since the previous tick, so an idle stream keeps its lease.
 */
class Acknowledger {
  private owed = 0;
  private sending = false;
  private lastAckAt = 0;
  private ticks = 0;

  constructor(
    private readonly api: WorkstationApi,
    /** The stream's id while it is followed, null before it opened and after it ended. */
    private readonly target: () => string | null,
  ) {}

  add(amount: number): void {
    this.owed += amount;
    this.send();
  }

  tick(): void {
    this.ticks += 1;
    if (this.ticks - this.lastAckAt >= 1) {
      this.send();
    }
  }

  private send(): void {
    const streamId = this.target();
    if (this.sending || streamId === null) {
      return;
    }
    const amount = this.owed;
    this.owed = 0;
    this.sending = true;
    this.lastAckAt = this.ticks;
    this.api.call('streams.ack', { streamId, amount }).then(
      () => {
        this.sending = false;
        if (this.owed > 0) {
          this.send();
        }
      },
      () => {
        // The stream ended or the host went away: its end event says which, if it can still come.
        this.sending = false;
      },
    );
  }
}

/**
 * Keystrokes on their way to a terminal, in order: one call at a time, with whatever was typed meanwhile sent as the
 * next piece (the browser host answers calls on separate connections, which could overtake each other).
 */
export function createInputQueue(
  send: (data: string, end: boolean) => Promise<unknown>,
  onError: (error: unknown) => void,
  maxPiece = 16 * 1024,
): { push(data: string): void; end(): void; readonly idle: Promise<void> } {
  let queued = '';
  let isEnding = false;
  let inFlight: Promise<void> | null = null;
  const pump = (): void => {
    if (inFlight !== null || (queued === '' && !isEnding)) {
      return;
    }
    let piece = queued.slice(0, maxPiece);
    // Never send half of a character made of two UTF-16 units.
    if (piece.length === maxPiece && /[\ud800-\udbff]$/.test(piece)) {
      piece = piece.slice(0, -1);
    }
    queued = queued.slice(piece.length);
    const end = isEnding && queued === '';
    if (end) {
      isEnding = false;
    }
    inFlight = send(piece, end).then(
      () => undefined,
      (error: unknown) => {
        queued = '';
        onError(error);
      },
    );
    void inFlight.then(() => {
      inFlight = null;
      pump();
    });
  };
  return {
    push(data) {
      queued += data;
      pump();
    },
    end() {
      isEnding = true;
      pump();
    },
    get idle() {
      return (async () => {
        while (inFlight !== null) {
          await inFlight;
          await Promise.resolve();
        }
      })();
    },
  };
}
