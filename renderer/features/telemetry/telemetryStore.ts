import { createStore, type StoreApi } from 'zustand/vanilla';

import type { TelemetrySample, TelemetrySeries } from '../../../shared/domain/telemetry';
import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import { RingBuffer } from './RingBuffer';

export type TelemetryView = 'live' | '24h' | '7d';

export const TREND_SPAN_MS: Record<Exclude<TelemetryView, 'live'>, number> = {
  '24h': 24 * 3_600_000,
  '7d': 7 * 24 * 3_600_000,
};

/** What the live view keeps: 15 minutes on screen, an hour at the default 2 s in memory, never more. */
export const LIVE_WINDOW_MS = 15 * 60_000;
/** The live chart's shortest time axis, so the first samples do not stretch across the whole width. */
export const LIVE_MIN_SPAN_MS = 60_000;
export const LIVE_CAPACITY = 1_800;
export const DEFAULT_INTERVAL_MS = 2_000;
/** Points asked of the history: about the width of a wide chart; the chart thins them to its own width. */
export const TREND_POINTS = 1_000;

export type TelemetryState = {
  unit: string;
  intervalMs: number;
  status: 'idle' | 'starting' | 'live' | 'failed';
  startError: unknown;
  /** The last samples, oldest first; replaced (not mutated) on each batch so selectors see the change. */
  live: readonly TelemetrySample[];
  latest: TelemetrySample | null;
  /** Samples the workstation skipped because this page fell behind, since the page opened. */
  dropped: number;
  view: TelemetryView;
  trend: TelemetrySeries | null;
  trendError: unknown;
  isTrendLoading: boolean;
  actions: {
    /** Starts the stream and follows it; the returned function stops it (page left, component unmounted). */
    connect: () => Unsubscribe;
    /** Tries to start the stream again after it failed (the unit was unreachable). */
    retry: () => void;
    setView: (view: TelemetryView) => Promise<void>;
    reloadTrend: () => Promise<void>;
    /** The stored samples of a stretch of a history view, thinned to about a chart's width. */
    loadDetail: (span: { fromMs: number; toMs: number }) => Promise<TelemetrySample[]>;
  };
};

export type TelemetryStore = StoreApi<TelemetryState>;

export function createTelemetryStore(
  api: WorkstationApi,
  unit: string,
  options: { intervalMs?: number; capacity?: number; now?: () => number } = {},
): TelemetryStore {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const now = options.now ?? (() => Date.now());
  const buffer = new RingBuffer<TelemetrySample>(options.capacity ?? LIVE_CAPACITY);
  let trendRequest = 0;

  return createStore<TelemetryState>()((set, get) => {
    const loadTrend = async (): Promise<void> => {
      const view = get().view;
      if (view === 'live') {
        return;
      }
      const request = ++trendRequest;
      set({ isTrendLoading: true, trendError: null });
      const toMs = now();
      try {
        const trend = await api.call('telemetry.history', {
          name: unit,
          fromMs: Math.max(0, toMs - TREND_SPAN_MS[view]),
          toMs,
          maxPoints: TREND_POINTS,
        });
        if (request === trendRequest) {
          set({ trend, isTrendLoading: false });
        }
      } catch (error) {
        if (request === trendRequest) {
          set({ trendError: error, isTrendLoading: false });
        }
      }
    };

    /** The page's current follow of the stream: one at a time, ended by the function connect() returned. */
    let session: { isDisposed: boolean; streamId: string | null } | null = null;

    const startStream = (current: { isDisposed: boolean; streamId: string | null }): void => {
      set({ status: 'starting', startError: null });
      api.call('telemetry.start', { name: unit, intervalMs }).then(
        (started) => {
          if (current.isDisposed) {
            // Left before the stream came up: end it at once rather than let it sample for nobody.
            void api.call('telemetry.stop', { streamId: started.streamId }).catch(() => undefined);
            return;
          }
          current.streamId = started.streamId;
          set({ status: 'live' });
          early.filter((batch) => batch.streamId === started.streamId).forEach(accept);
          early.length = 0;
        },
        (error: unknown) => {
          if (!current.isDisposed) {
            set({ status: 'failed', startError: error });
          }
        },
      );
    };

    const early: { streamId: string; samples: TelemetrySample[]; dropped: number }[] = [];
    const accept = (batch: { samples: TelemetrySample[]; dropped: number }): void => {
      buffer.push(...batch.samples);
      set({ live: buffer.toArray(), latest: buffer.last() ?? null, dropped: get().dropped + batch.dropped });
    };

    const connect = (): Unsubscribe => {
      const current = { isDisposed: false, streamId: null as string | null };
      session = current;
      early.length = 0;
      const unsubscribe = api.on('telemetry.samples', (batch) => {
        if (batch.unit !== unit || current.isDisposed) {
          return;
        }
        if (current.streamId === null) {
          // A batch may overtake the answer to start; keep a few until the stream id is known.
          early.push(batch);
          early.splice(0, Math.max(0, early.length - 20));
        } else if (batch.streamId === current.streamId) {
          accept(batch);
        }
      });
      startStream(current);
      return () => {
        current.isDisposed = true;
        unsubscribe();
        if (current.streamId !== null) {
          void api.call('telemetry.stop', { streamId: current.streamId }).catch(() => undefined);
        }
        if (session === current) {
          session = null;
          set({ status: 'idle' });
        }
      };
    };

    const retry = (): void => {
      if (session && !session.isDisposed && get().status === 'failed') {
        startStream(session);
      }
    };

    return {
      unit,
      intervalMs,
      status: 'idle',
      startError: null,
      live: [],
      latest: null,
      dropped: 0,
      view: 'live',
      trend: null,
      trendError: null,
      isTrendLoading: false,
      actions: {
        connect,
        retry,
        setView: async (view) => {
          set({ view, trend: view === get().view ? get().trend : null });
          await loadTrend();
        },
        reloadTrend: loadTrend,
        loadDetail: async (span) =>
          (await api.call('telemetry.history', { name: unit, ...span, maxPoints: TREND_POINTS })).samples,
      },
    };
  });
}
