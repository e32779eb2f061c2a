import type { LogLine, LogPriority } from '../../../shared/domain/unitLogs';

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
