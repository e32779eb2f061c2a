import { createStore, type StoreApi } from 'zustand/vanilla';

import type {
  BackupProgress,
  BackupRunResult,
  BackupUnitResult,
  BackupVerify,
  DatabaseCopyMode,
} from '../../../shared/domain/backup';
import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';

export type RunOptions = {
  database: DatabaseCopyMode;
  /** Only with database 'service-stopped': the technician agreed that the services stop around the copy. */
  confirmServiceStop: boolean;
  /** Read every file again instead of taking unchanged ones from the unit's previous backup. */
  full?: boolean;
};

/** A backup run started from this window: the units asked for, what each ended with, or why the call failed. */
export type BackupRun = {
  runId: string | null;
  /** Every unit of the run, shown together. */
  names: readonly string[];
  /** The units of the call under way: all of them, or the failed ones again on a retry. */
  active: readonly string[];
  isRunning: boolean;
  /** Per unit, the latest outcome (a retry replaces the failed units' entries); null until the call answers. */
  results: readonly BackupUnitResult[] | null;
  error: unknown;
};

export type VerifyEntry =
  | { status: 'running'; sample: number | undefined }
  | { status: 'done'; sample: number | undefined; result: BackupVerify; at: string }
  | { status: 'failed'; sample: number | undefined; error: unknown };

export type BackupsState = {
  run: BackupRun | null;
  /** The latest progress event per unit, whichever window or face started the run. */
  progress: Readonly<Record<string, BackupProgress>>;
  /** Verify outcomes by backup id, for this session (the store keeps no verify verdicts). */
  verifies: Readonly<Record<string, VerifyEntry>>;
  /** Raised whenever a backup was committed or removed, so every list on screen asks again. */
  listVersion: number;
  actions: {
    run: (names: readonly string[], options: RunOptions) => Promise<void>;
    /** Runs the failed units of the last run again; the ones that succeeded keep their result. */
    retryFailed: () => Promise<void>;
    verify: (backupId: string, sample?: number) => Promise<void>;
    /** Something else changed the store (a prune, a restore's snapshot): lists reload. */
    noteChanged: () => void;
    connect: () => Unsubscribe;
  };
};

export type BackupsStore = StoreApi<BackupsState>;

export function failedUnits(run: BackupRun | null): string[] {
  return (run?.results ?? []).filter((result) => result.status === 'failed').map((result) => result.unit);
}

export function createBackupsStore(api: WorkstationApi, now: () => Date = () => new Date()): BackupsStore {
  return createStore<BackupsState>()((set, get) => {
    const start = async (names: readonly string[], call: () => Promise<BackupRunResult>): Promise<void> => {
      const previous = get().run;
      set((state) => {
        const progress = { ...state.progress };
        names.forEach((name) => delete progress[name]);
        // A retry keeps the whole run's units on show; only the failed ones run again.
        const shown = previous?.names ?? names;
        return {
          progress,
          run: {
            runId: null,
            names: shown,
            active: names,
            isRunning: true,
            results: previous?.results ?? null,
            error: null,
          },
        };
      });
      try {
        const answer = await call();
        const fresh = new Map(answer.results.map((result) => [result.unit, result]));
        const kept = (previous?.results ?? []).filter((result) => !fresh.has(result.unit));
        set({
          run: {
            runId: answer.runId,
            names: previous?.names ?? names,
            active: [],
            isRunning: false,
            results: [...kept, ...answer.results],
            error: null,
          },
        });
      } catch (error) {
        set((state) => ({
          run: {
            runId: state.run?.runId ?? null,
            names: state.run?.names ?? names,
            active: [],
            results: state.run?.results ?? null,
            isRunning: false,
            error,
          },
        }));
      } finally {
        set((state) => ({ listVersion: state.listVersion + 1 }));
      }
    };

    const run = async (names: readonly string[], options: RunOptions): Promise<void> => {
      if (names.length === 0 || get().run?.isRunning) {
        return;
      }
      // A new run starts a new result list; a retry (below) merges into the current one.
      set({ run: null });
      await start(names, () =>
        api.call('backup.run', {
          names: [...names],
          database: options.database,
          confirmServiceStop: options.database === 'service-stopped' && options.confirmServiceStop,
          full: options.full === true,
        }),
      );
    };

    const retryFailed = async (): Promise<void> => {
      const current = get().run;
      const failed = failedUnits(current);
      if (!current?.runId || current.isRunning || failed.length === 0) {
        return;
      }
      const runId = current.runId;
      await start(failed, () => api.call('backup.retryFailed', { runId }));
    };

    const verify = async (backupId: string, sample?: number): Promise<void> => {
      if (get().verifies[backupId]?.status === 'running') {
        return;
      }
      const put = (entry: VerifyEntry): void =>
        set((state) => ({ verifies: { ...state.verifies, [backupId]: entry } }));
      put({ status: 'running', sample });
      try {
        const result = await api.call('backup.verify', sample === undefined ? { backupId } : { backupId, sample });
        put({ status: 'done', sample, result, at: now().toISOString() });
      } catch (error) {
        put({ status: 'failed', sample, error });
      }
    };

    const noteChanged = (): void => set((state) => ({ listVersion: state.listVersion + 1 }));

    const connect = (): Unsubscribe => {
      const stop = api.on('backup.progress', (event) => {
        set((state) => ({ progress: { ...state.progress, [event.unit]: event } }));
        if (event.phase === 'done') {
          // Each unit's backup is listed as soon as it is committed, not when the whole run ends.
          noteChanged();
        }
      });
      noteChanged();
      return stop;
    };

    return {
      run: null,
      progress: {},
      verifies: {},
      listVersion: 0,
      actions: { run, retryFailed, verify, noteChanged, connect },
    };
  });
}
