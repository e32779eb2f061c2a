import { createStore, type StoreApi } from 'zustand/vanilla';

import { DEFAULT_THRESHOLDS, type Thresholds } from '../../../shared/domain/thresholds';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { draftOf, thresholdsFrom, type LimitKey, type ThresholdsDraft } from './thresholdFields';

export type SettingsState = {
  /** What the core holds; null until loaded. */
  saved: Thresholds | null;
  /** What the form shows; null until loaded. */
  draft: ThresholdsDraft | null;
  loadError: unknown;
  /** The last save's failure (VALIDATION carries the issues per field). */
  saveError: unknown;
  status: 'loading' | 'editing' | 'saving' | 'saved';
  actions: {
    load: () => Promise<void>;
    setLimit: (key: LimitKey, which: 'warning' | 'critical', value: string) => void;
    setLogWindow: (value: string) => void;
    /** Puts the runbook's defaults in the form; they apply once saved. */
    resetToDefaults: () => void;
    save: () => Promise<void>;
  };
};

export type SettingsStore = StoreApi<SettingsState>;

export function createSettingsStore(api: WorkstationApi): SettingsStore {
  return createStore<SettingsState>()((set, get) => {
    const edit = (change: (draft: ThresholdsDraft) => ThresholdsDraft): void => {
      const { draft } = get();
      if (draft) {
        set({ draft: change(draft), status: 'editing' });
      }
    };

    return {
      saved: null,
      draft: null,
      loadError: null,
      saveError: null,
      status: 'loading',
      actions: {
        load: async () => {
          try {
            const { thresholds } = await api.call('settings.get', {});
            set({ saved: thresholds, draft: draftOf(thresholds), loadError: null, status: 'editing' });
          } catch (error) {
            set({ loadError: error });
          }
        },
        setLimit: (key, which, value) => edit((draft) => ({ ...draft, [key]: { ...draft[key], [which]: value } })),
        setLogWindow: (value) => edit((draft) => ({ ...draft, logWindowMin: value })),
        resetToDefaults: () => edit(() => draftOf(DEFAULT_THRESHOLDS)),
        save: async () => {
          const { draft, status } = get();
          if (!draft || status === 'saving') {
            return;
          }
          set({ status: 'saving', saveError: null });
          try {
            // Sent as typed: the core validates it and names what is wrong, field by field.
            const input = { thresholds: thresholdsFrom(draft) as Thresholds };
            const { thresholds } = await api.call('settings.setThresholds', input);
            set({ saved: thresholds, draft: draftOf(thresholds), status: 'saved' });
          } catch (error) {
            set({ saveError: error, status: 'editing' });
          }
        },
      },
    };
  });
}
