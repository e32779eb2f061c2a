import { createStore, type StoreApi } from 'zustand/vanilla';

import type { LogLine, LogPriority } from '../../../shared/domain/unitLogs';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { followStream, type StreamFollower } from '../../../shared/ipc/streamClient';
import { RingBuffer } from '../telemetry/RingBuffer';

/** Lines the page keeps on screen, at most; older ones scroll out of the view. */
export const LOG_CAPACITY = 10_000;
/** The window of the journal around a moment (a failed check): before it, and after. */
const WINDOW_BEFORE_MS = 15 * 60_000;
const WINDOW_AFTER_MS = 5 * 60_000;

export type LogSourceChoice = { services: string[]; allServices: boolean; priority: LogPriority };

export type LogsState = {
  unit: string;
  source: LogSourceChoice;
  /** live: following; window: the journal around `at`. */
  mode: 'live' | 'window';
  at: string | null;
  status: 'starting' | 'live' | 'ended' | 'failed' | 'loading' | 'loaded';
  error: unknown;
  endReason: string | null;
  /** What the view shows, oldest first; replaced (not mutated) when it changes. */
  lines: readonly LogLine[];
  received: number;
  /** Lines the workstation left out because this view was behind (or paused). */
  dropped: number;
  isPaused: boolean;
  actions: {
    /** Starts the view (a follow, or the window); the returned function ends it. */
    start: () => () => void;
    setSource: (source: Partial<LogSourceChoice>) => void;
    togglePause: () => void;
    showWindow: (at: string) => void;
    backToLive: () => void;
  };
};

export type LogsStore = StoreApi<LogsState>;

const windowTimers = {
  setInterval: (callback: () => void, ms: number) => window.setInterval(callback, ms),
  clearInterval: (handle: unknown) => window.clearInterval(handle as number),
};

const utc = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One unit's live log view. Batches go into a bounded buffer and the view is redrawn at most once a frame, so a
 * chatty service never freezes the page; while paused, the view stands still and acknowledgements are held, so
 * the workstation keeps the newest lines for it and counts the ones it has to leave out.
 */
export function createLogsStore(api: WorkstationApi, unit: string, at: string | null): LogsStore {
  const buffer = new RingBuffer<LogLine>(LOG_CAPACITY);
  let follower: StreamFollower | null = null;
  let generation = 0;
  let owed = 0;
  let frame = 0;
  // Counted as batches arrive, shown with the next frame: one state change per frame, however many batches came.
  let receivedCount = 0;
  let droppedCount = 0;

  return createStore<LogsState>()((set, get) => {
    const draw = (): void => {
      if (frame !== 0) {
        return;
      }
      frame = requestAnimationFrame(() => {
        frame = 0;
        const counts = { received: receivedCount, dropped: droppedCount };
        set(get().isPaused ? counts : { ...counts, lines: buffer.toArray() });
      });
    };

    const stop = (): void => {
      generation += 1;
      cancelAnimationFrame(frame);
      frame = 0;
      void follower?.close();
      follower = null;
    };

    const follow = (): void => {
      const mine = ++generation;
      buffer.clear();
      owed = 0;
      receivedCount = 0;
      droppedCount = 0;
      set({ status: 'starting', error: null, endReason: null, lines: [], received: 0, dropped: 0 });
      const { source } = get();
      followStream(api, 'logs.lines', () => api.call('logs.follow', { unit, ...source, backlog: 200 }), {
        onData: (batch, f) => {
          buffer.push(...batch.lines);
          receivedCount += batch.lines.length;
          droppedCount += batch.dropped;
          if (get().isPaused) {
            owed += batch.lines.length;
          } else {
            f.ack(batch.lines.length);
          }
          draw();
        },
        onEnded: (ended) => set({ status: 'ended', endReason: ended.reason }),
        timers: windowTimers,
      }).then(
        (started) => {
          if (mine !== generation) {
            void started.follower.close();
            return;
          }
          follower = started.follower;
          if (get().status === 'starting') {
            set({ status: 'live' });
          }
        },
        (error: unknown) => mine === generation && set({ status: 'failed', error }),
      );
    };

    const loadWindow = (moment: string): void => {
      const mine = ++generation;
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
          (read) => mine === generation && set({ status: 'loaded', lines: read.lines, received: read.lines.length }),
          (error: unknown) => mine === generation && set({ status: 'failed', error }),
        );
    };

    const begin = (): void => {
      const { mode, at: moment } = get();
      if (mode === 'window' && moment !== null) {
        loadWindow(moment);
      } else {
        follow();
      }
    };

    return {
      unit,
      source: { services: [], allServices: false, priority: 'debug' },
      mode: at === null ? 'live' : 'window',
      at,
      status: 'starting',
      error: null,
      endReason: null,
      lines: [],
      received: 0,
      dropped: 0,
      isPaused: false,
      actions: {
        start: () => {
          begin();
          return stop;
        },
        setSource: (source) => {
          stop();
          set((state) => ({ source: { ...state.source, ...source } }));
          begin();
        },
        togglePause: () => {
          const isPaused = !get().isPaused;
          set({ isPaused });
          if (!isPaused) {
            follower?.ack(owed);
            owed = 0;
            set({ lines: buffer.toArray() });
          }
        },
        showWindow: (moment) => {
          stop();
          set({ mode: 'window', at: moment });
          loadWindow(moment);
        },
        backToLive: () => {
          stop();
          set({ mode: 'live', at: null, isPaused: false });
          follow();
        },
      },
    };
  });
}
