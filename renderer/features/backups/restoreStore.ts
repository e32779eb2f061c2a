import { createStore, type StoreApi } from 'zustand/vanilla';

import type {
  RestorePhase,
  RestorePhaseStatus,
  RestorePlan,
  RestoreProgress,
  RestoreResult,
} from '../../../shared/domain/restore';
import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';

export type WizardStep = 'choose' | 'review' | 'running' | 'outcome';

export type PhaseView = { status: RestorePhaseStatus; detail: string; done?: number; total?: number };

export type RestoreWizardState = {
  unit: string;
  step: WizardStep;
  backupId: string | null;
  /** Declared by the technician: the unit's board was replaced (new host key, same unit). */
  isReplacement: boolean;
  plan: RestorePlan | null;
  isPlanning: boolean;
  planError: unknown;
  /** What the technician typed to confirm: the restore starts only when it is the unit's name. */
  typed: string;
  transactionId: string | null;
  /** Each phase as restore.progress last reported it. */
  phases: Partial<Record<RestorePhase, PhaseView>>;
  result: RestoreResult | null;
  runError: unknown;
  actions: {
    choose: (backupId: string) => void;
    setReplacement: (isReplacement: boolean) => void;
    /** The dry run: asks for the plan and moves to the review step. */
    review: () => Promise<void>;
    back: () => void;
    setTyped: (typed: string) => void;
    /** Runs the restore; refuses unless the typed name matches and a plan is on show. */
    run: (isVerified: boolean) => Promise<void>;
    connect: () => Unsubscribe;
  };
};

export type RestoreWizardStore = StoreApi<RestoreWizardState>;

/** The typed confirmation: the unit's exact name, spaces around it forgiven. */
export function isConfirmed(typed: string, unit: string): boolean {
  return typed.trim() === unit;
}

export function createRestoreWizardStore(
  api: WorkstationApi,
  unit: string,
  backupId: string | null,
): RestoreWizardStore {
  return createStore<RestoreWizardState>()((set, get) => {
    let planRequest = 0;

    const review = async (): Promise<void> => {
      const { backupId: chosen, isReplacement } = get();
      if (chosen === null) {
        return;
      }
      const request = ++planRequest;
      set({ step: 'review', plan: null, planError: null, isPlanning: true, typed: '' });
      try {
        const plan = await api.call('restore.plan', { name: unit, backupId: chosen, replacement: isReplacement });
        if (request === planRequest) {
          set({ plan, isPlanning: false });
        }
      } catch (error) {
        if (request === planRequest) {
          set({ planError: error, isPlanning: false });
        }
      }
    };

    const run = async (isVerified: boolean): Promise<void> => {
      const { plan, typed, step, isReplacement } = get();
      if (step !== 'review' || plan === null || !isVerified || !isConfirmed(typed, unit)) {
        return;
      }
      set({ step: 'running', phases: {}, transactionId: null, result: null, runError: null });
      try {
        const result = await api.call('restore.run', {
          name: unit,
          backupId: plan.backupId,
          replacement: isReplacement,
          confirm: true,
        });
        // The answer holds every phase as recorded; it is the final word over the events.
        const phases: Partial<Record<RestorePhase, PhaseView>> = { ...get().phases };
        result.phases.forEach((record) => {
          phases[record.phase] = { status: record.status, detail: record.detail };
        });
        set({ step: 'outcome', result, phases, transactionId: result.transactionId });
      } catch (error) {
        set({ step: 'outcome', runError: error });
      }
    };

    const onProgress = (event: RestoreProgress): void => {
      const state = get();
      if (event.unit !== unit || state.step !== 'running') {
        return;
      }
      if (state.transactionId !== null && event.transactionId !== state.transactionId) {
        return;
      }
      const view: PhaseView = { status: event.status, detail: event.detail };
      if (event.done !== undefined) {
        view.done = event.done;
      }
      if (event.total !== undefined) {
        view.total = event.total;
      }
      set({ transactionId: event.transactionId, phases: { ...state.phases, [event.phase]: view } });
    };

    return {
      unit,
      step: 'choose',
      backupId,
      isReplacement: false,
      plan: null,
      isPlanning: false,
      planError: null,
      typed: '',
      transactionId: null,
      phases: {},
      result: null,
      runError: null,
      actions: {
        choose: (id) => set({ backupId: id }),
        setReplacement: (isReplacement) => set({ isReplacement }),
        review,
        back: () => {
          planRequest += 1;
          set({ step: 'choose', plan: null, planError: null, isPlanning: false, typed: '' });
        },
        setTyped: (typed) => set({ typed }),
        run,
        connect: () => api.on('restore.progress', onProgress),
      },
    };
  });
}
