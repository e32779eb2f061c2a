import { createStore, type StoreApi } from 'zustand/vanilla';

import type { Unit } from '../../../shared/domain/unit';
import type { WorkstationApi } from '../../../shared/ipc/api';
import { draftToNewUnit, EMPTY_DRAFT, type UnitDraft } from './unitDraft';

export type AddUnitState = {
  draft: UnitDraft;
  status: 'editing' | 'submitting' | 'added';
  error: unknown;
  added: Unit | null;
  actions: {
    setField: <K extends keyof UnitDraft>(field: K, value: UnitDraft[K]) => void;
    submit: () => Promise<void>;
  };
};

export type AddUnitStore = StoreApi<AddUnitState>;

export function createAddUnitStore(api: WorkstationApi): AddUnitStore {
  return createStore<AddUnitState>()((set, get) => ({
    draft: EMPTY_DRAFT,
    status: 'editing',
    error: null,
    added: null,
    actions: {
      setField: (field, value) => set((state) => ({ draft: { ...state.draft, [field]: value } })),
      submit: async () => {
        if (get().status !== 'editing') {
          return;
        }
        set({ status: 'submitting', error: null });
        try {
          const added = await api.call('units.add', draftToNewUnit(get().draft));
          set({ status: 'added', added });
        } catch (error) {
          set({ status: 'editing', error });
        }
      },
    },
  }));
}
