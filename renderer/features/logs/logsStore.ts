import { createStore, type StoreApi } from 'zustand/vanilla';

import type { LogLine } from '../../../shared/domain/unitLogs';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { RingBuffer } from '../telemetry/RingBuffer';
import { createLogFeed } from './logFeed';
import type { LogsState } from './logsState';

export type { LogSourceChoice, LogsState } from './logsState';

/** Lines the page keeps on screen, at most; older ones scroll out of the view. */
export const LOG_CAPACITY = 10_000;

export type LogsStore = StoreApi<LogsState>;

/**
 * One unit's live log view. Batches go into a bounded buffer and the view is redrawn at most once a frame, so a
 * chatty service never freezes the page; while paused, the view stands still and acknowledgements are held, so
 * the workstation keeps the newest lines for it and counts the ones it has to leave out.
 */
export function createLogsStore(api: WorkstationApi, unit: string, at: string | null): LogsStore {
  return createStore<LogsState>()((set, get) => {
    const feed = createLogFeed(api, unit, new RingBuffer<LogLine>(LOG_CAPACITY), set, get);

    const begin = (): void => {
      const { mode, at: moment } = get();
      if (mode === 'window' && moment !== null) {
        feed.loadWindow(moment);
      } else {
        feed.follow();
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
          return feed.stop;
        },
        setSource: (source) => {
          feed.stop();
          set((state) => ({ source: { ...state.source, ...source } }));
          begin();
        },
        togglePause: () => {
          const isPaused = !get().isPaused;
          set({ isPaused });
          if (!isPaused) {
            feed.resume();
          }
        },
        showWindow: (moment) => {
          feed.stop();
          set({ mode: 'window', at: moment });
          feed.loadWindow(moment);
        },
        backToLive: () => {
          feed.stop();
          set({ mode: 'live', at: null, isPaused: false });
          feed.follow();
        },
      },
    };
  });
}
