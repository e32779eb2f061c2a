import type { StoreApi } from 'zustand/vanilla';

import type { LogLine } from '../../../shared/domain/unitLogs';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { followStream, type StreamFollower } from '../../../shared/ipc/streamClient';
import type { LogsState } from './logsState';

/** The window of the journal around a moment (a failed check): before it, and after. */
const WINDOW_BEFORE_MS = 15 * 60_000;
const WINDOW_AFTER_MS = 5 * 60_000;

type Set = StoreApi<LogsState>['setState'];
type Get = StoreApi<LogsState>['getState'];

/** A bounded buffer of the newest lines; the oldest fall out when it is full. */
export type LineBuffer = { push: (...lines: LogLine[]) => void; toArray: () => LogLine[]; clear: () => void };

/** Where the view's lines come from: the live follow or the window around a moment, one at a time. */
export type LogFeed = {
  follow: () => void;
  loadWindow: (moment: string) => void;
  stop: () => void;
  /** After a pause: acknowledge the lines held back and show what arrived meanwhile. */
  resume: () => void;
};

/** What the feed keeps between batches; `generation` tells a stale answer from the current one. */
type Feed = {
  api: WorkstationApi;
  unit: string;
  set: Set;
  get: Get;
  buffer: LineBuffer;
  follower: StreamFollower | null;
  generation: number;
  owed: number;
  frame: number;
  // Counted as batches arrive, shown with the next frame: one state change per frame, however many batches came.
  receivedCount: number;
  droppedCount: number;
};

const windowTimers = {
  setInterval: (callback: () => void, ms: number) => window.setInterval(callback, ms),
  clearInterval: (handle: unknown) => window.clearInterval(handle as number),
};

const utc = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function createLogFeed(api: WorkstationApi, unit: string, buffer: LineBuffer, set: Set, get: Get): LogFeed {
  const feed: Feed = {
    api,
    unit,
    set,
    get,
    buffer,
    follower: null,
    generation: 0,
    owed: 0,
    frame: 0,
    receivedCount: 0,
    droppedCount: 0,
  };
  return {
    follow: () => follow(feed),
    loadWindow: (moment) => loadWindow(feed, moment),
    stop: () => stop(feed),
    resume: () => {
      feed.follower?.ack(feed.owed);
      feed.owed = 0;
      set({ lines: feed.buffer.toArray() });
    },
  };
}

function draw(feed: Feed): void {
  if (feed.frame !== 0) {
    return;
  }
  feed.frame = requestAnimationFrame(() => {
    feed.frame = 0;
    const counts = { received: feed.receivedCount, dropped: feed.droppedCount };
    feed.set(feed.get().isPaused ? counts : { ...counts, lines: feed.buffer.toArray() });
  });
}

function stop(feed: Feed): void {
  feed.generation += 1;
  cancelAnimationFrame(feed.frame);
  feed.frame = 0;
  void feed.follower?.close();
  feed.follower = null;
}

function follow(feed: Feed): void {
  const { api, unit, set, get } = feed;
  const mine = ++feed.generation;
  feed.buffer.clear();
  feed.owed = 0;
  feed.receivedCount = 0;
  feed.droppedCount = 0;
  set({ status: 'starting', error: null, endReason: null, lines: [], received: 0, dropped: 0 });
  const { source } = get();
  followStream(api, 'logs.lines', () => api.call('logs.follow', { unit, ...source, backlog: 200 }), {
    onData: (batch, f) => {
      feed.buffer.push(...batch.lines);
      feed.receivedCount += batch.lines.length;
      feed.droppedCount += batch.dropped;
      if (get().isPaused) {
        feed.owed += batch.lines.length;
      } else {
        f.ack(batch.lines.length);
      }
      draw(feed);
    },
    onEnded: (ended) => set({ status: 'ended', endReason: ended.reason }),
    timers: windowTimers,
  }).then(
    (started) => {
      if (mine !== feed.generation) {
        void started.follower.close();
        return;
      }
      feed.follower = started.follower;
      if (get().status === 'starting') {
        set({ status: 'live' });
      }
    },
    (error: unknown) => mine === feed.generation && set({ status: 'failed', error }),
  );
}

function loadWindow(feed: Feed, moment: string): void {
  const { api, unit, set, get } = feed;
  const mine = ++feed.generation;
  const atMs = Date.parse(moment);
  set({ status: 'loading', error: null, lines: [], received: 0, dropped: 0, isPaused: false });
  api
    .call('logs.read', {
      unit,
      ...get().source,
      since: utc(atMs - WINDOW_BEFORE_MS),
      until: utc(atMs + WINDOW_AFTER_MS),
      limit: 5000,
    })
    .then(
      (read) => mine === feed.generation && set({ status: 'loaded', lines: read.lines, received: read.lines.length }),
      (error: unknown) => mine === feed.generation && set({ status: 'failed', error }),
    );
}
