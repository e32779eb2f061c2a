import { createStore, type StoreApi } from 'zustand/vanilla';

import type { DiagnosisReport } from '../../../shared/domain/health';
import type { HistoryEntry, Unit } from '../../../shared/domain/unit';
import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import type { DiagnosisPhase } from '../../components/PhaseIndicator';
import { coalesce } from '../coalesce';
import { followUnitChanges } from '../unitChanges';

export type UnitActions = {
  refresh: () => Promise<void>;
  diagnose: () => Promise<void>;
  /** Shows an earlier run from the history; the page then stops following new runs until showLatest. */
  selectRun: (runId: string) => Promise<void>;
  showLatest: () => Promise<void>;
  connect: () => Unsubscribe;
};

export type UnitState = {
  name: string;
  unit: Unit | null;
  /** The list was loaded and has no unit of this name. */
  isMissing: boolean;
  loadError: unknown;
  /** Newest first; null until loaded. */
  history: HistoryEntry[] | null;
  /** Counts the reads of the history, so that the unit's logbook view reads again after a sweep or a change. */
  historyVersion: number;
  historyError: unknown;
  report: DiagnosisReport | null;
  reportError: unknown;
  /** The run picked in the history, or null to follow the latest. */
  pickedRunId: string | null;
  phase: DiagnosisPhase | null;
  isRunning: boolean;
  runError: unknown;
  actions: UnitActions;
};

export type UnitStore = StoreApi<UnitState>;

export function createUnitStore(api: WorkstationApi, name: string): UnitStore {
  return createStore<UnitState>()((set, get) => {
    // Reports can be requested faster than they arrive (clicks, events); only the last request may land.
    let reportRequest = 0;

    const loadReport = async (runId: string): Promise<void> => {
      const request = ++reportRequest;
      try {
        const report = await api.call('diagnostics.get', { runId });
        if (request === reportRequest) {
          set({ report, reportError: null });
        }
      } catch (error) {
        if (request === reportRequest) {
          set({ reportError: error });
        }
      }
    };

    const loadUnit = async (): Promise<void> => {
      try {
        const units = await api.call('units.list', {});
        const unit = units.find((candidate) => candidate.name === name) ?? null;
        set({ unit, isMissing: unit === null, loadError: null });
      } catch (error) {
        set({ loadError: error });
      }
    };

    const loadHistory = async (): Promise<void> => {
      try {
        const entries = await api.call('history.list', { name, limit: 100 });
        set((state) => ({
          history: newestFirst(entries),
          historyVersion: state.historyVersion + 1,
          historyError: null,
        }));
      } catch (error) {
        set({ historyError: error });
      }
    };

    const followLatest = async (): Promise<void> => {
      const { pickedRunId, history, report, unit } = get();
      if (pickedRunId !== null || history === null) {
        return;
      }
      // The unit's last sweep: a later offline diagnosis of its bus is its bus state, not its health.
      const latest = unit?.lastRunId ?? history.find((entry) => entry.kind === 'diagnosis')?.id;
      if (latest && latest !== report?.runId) {
        await loadReport(latest);
      }
    };

    const refresh = coalesce(async () => {
      await Promise.all([loadUnit(), loadHistory()]);
      await followLatest();
    });

    const diagnose = async (): Promise<void> => {
      if (get().isRunning) {
        return;
      }
      set({ isRunning: true, runError: null, pickedRunId: null });
      try {
        const reports = await api.call('diagnostics.run', { names: [name] });
        const report = reports.find((candidate) => candidate.unit === name);
        if (report) {
          reportRequest += 1;
          set({ report, reportError: null });
        }
      } catch (error) {
        set({ runError: error });
      } finally {
        set({ isRunning: false, phase: null });
      }
      await refresh();
    };

    const connect = (): Unsubscribe => {
      const stops = [
        api.on('units.changed', (event) => {
          if (event.name === name) {
            void refresh();
          }
        }),
        followUnitChanges(api, (unit) => {
          if (unit === name) {
            void refresh();
          }
        }),
        api.on('diagnostics.progress', (event) => {
          if (event.unit !== name) {
            return;
          }
          set({ phase: event.phase === 'done' ? null : event.phase });
          // A run started elsewhere (fleet page, another face) ends here too: show its result.
          if (event.phase === 'done') {
            void refresh();
          }
        }),
      ];
      void refresh();
      return () => stops.forEach((stop) => stop());
    };

    return {
      name,
      unit: null,
      isMissing: false,
      loadError: null,
      history: null,
      historyVersion: 0,
      historyError: null,
      report: null,
      reportError: null,
      pickedRunId: null,
      phase: null,
      isRunning: false,
      runError: null,
      actions: {
        refresh,
        diagnose,
        selectRun: async (runId) => {
          set({ pickedRunId: runId });
          await loadReport(runId);
        },
        showLatest: async () => {
          set({ pickedRunId: null });
          await followLatest();
        },
        connect,
      },
    };
  });
}

function newestFirst(entries: HistoryEntry[]): HistoryEntry[] {
  return [...entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
