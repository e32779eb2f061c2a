import { createStore, type StoreApi } from 'zustand/vanilla';

import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import type { RunView, StepAnswer } from '../../../shared/ipc/contracts/procedureRuns';

export type RunState = {
  runId: string;
  run: RunView | null;
  loadError: unknown;
  /** The failure of the last answer, abort, escalation or signature; the run itself is unchanged by it. */
  actionError: unknown;
  /** An answer is on its way: the page offers nothing else until it is back (one step at a time). */
  isBusy: boolean;
  actions: {
    load: () => Promise<void>;
    answer: (stepId: string, answer: StepAnswer) => Promise<boolean>;
    abort: (reason: string) => Promise<boolean>;
    escalate: (level: number, note: string) => Promise<boolean>;
    sign: (name: string) => Promise<boolean>;
    /** Follows changes made elsewhere (another window, the CLI); returns the unsubscribe. */
    connect: () => Unsubscribe;
  };
};

export type RunStore = StoreApi<RunState>;

export function createRunStore(api: WorkstationApi, runId: string): RunStore {
  return createStore<RunState>()((set, get) => {
    let loads = 0;
    const load = async (): Promise<void> => {
      const ticket = ++loads;
      try {
        const run = await api.call('procedures.run.get', { runId });
        if (ticket === loads) {
          set({ run, loadError: null });
        }
      } catch (error) {
        if (ticket === loads) {
          set({ loadError: error });
        }
      }
    };
    const act = async (work: () => Promise<RunView>): Promise<boolean> => {
      if (get().isBusy) {
        return false;
      }
      set({ isBusy: true, actionError: null });
      try {
        const run = await work();
        loads++; // an older load still in flight must not replace this answer
        set({ run, isBusy: false });
        return true;
      } catch (error) {
        set({ actionError: error, isBusy: false });
        // The step may have moved on (another window answered it); show what is true now.
        void load();
        return false;
      }
    };
    return {
      runId,
      run: null,
      loadError: null,
      actionError: null,
      isBusy: false,
      actions: {
        load,
        answer: (stepId, answer) => act(() => api.call('procedures.run.step', { runId, stepId, answer })),
        abort: (reason) => act(() => api.call('procedures.run.abort', { runId, reason })),
        escalate: (level, note) =>
          act(() => api.call('procedures.run.escalate', { runId, level, ...(note.trim() ? { note } : {}) })),
        sign: (name) => act(() => api.call('procedures.run.sign', { runId, name })),
        connect: () => {
          void load();
          return api.on('procedures.runChanged', (event) => {
            if (event.runId === runId && !get().isBusy) {
              void load();
            }
          });
        },
      },
    };
  });
}
