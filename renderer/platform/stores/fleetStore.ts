import { createStore, type StoreApi } from 'zustand/vanilla';

import type { Unit } from '../../../shared/domain/unit';
import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import { followUnitChanges } from '../unitChanges';
import type { DiagnosisPhase } from '../../components/PhaseIndicator';
import { coalesce } from '../coalesce';

export type FleetActions = {
  load: () => Promise<void>;
  diagnose: (names: string[]) => Promise<void>;
  /** Diagnoses again only the units of `failed`. */
  retryFailed: () => Promise<void>;
  /** Follows the core's events; returns the function that stops following them. */
  connect: () => Unsubscribe;
};

export type FleetState = {
  /** null until the first answer arrives. */
  units: Unit[] | null;
  loadError: unknown;
  runError: unknown;
  /** Units whose diagnosis is under way, as the core reports it (from this page, another face or the CLI). */
  progress: Readonly<Record<string, DiagnosisPhase>>;
  /** Names of the units in a diagnosis started from this page. */
  running: readonly string[];
  /** Units a diagnosis from this page could not judge (STALE: unreachable) or that failed: Retry failed asks for them. */
  failed: readonly string[];
  actions: FleetActions;
};

export type FleetStore = StoreApi<FleetState>;

export function createFleetStore(api: WorkstationApi): FleetStore {
  return createStore<FleetState>()((set, get) => {
    const load = coalesce(async () => {
      try {
        const units = await api.call('units.list', {});
        set({ units, loadError: null });
      } catch (error) {
        set({ loadError: error });
      }
    });

    const diagnose = async (names: string[]): Promise<void> => {
      if (names.length === 0) {
        return;
      }
      set((state) => ({ running: [...state.running, ...names], runError: null }));
      const others = () => get().failed.filter((name) => !names.includes(name));
      try {
        const reports = await api.call('diagnostics.run', { names });
        set({ failed: [...others(), ...reports.filter((r) => r.level === 'STALE').map((r) => r.unit)] });
      } catch (error) {
        set({ runError: error, failed: [...others(), ...names] });
      } finally {
        set((state) => ({ running: state.running.filter((name) => !names.includes(name)) }));
        await load();
      }
    };

    const retryFailed = (): Promise<void> => diagnose([...get().failed]);

    const setPhase = (unit: string, phase: DiagnosisPhase): void => {
      const progress = { ...get().progress };
      if (phase === 'done') {
        delete progress[unit];
      } else {
        progress[unit] = phase;
      }
      set({ progress });
    };

    const connect = (): Unsubscribe => {
      const stops = [
        api.on('units.changed', () => void load()),
        followUnitChanges(api, () => void load()),
        api.on('diagnostics.progress', ({ unit, phase }) => {
          setPhase(unit, phase);
          if (phase === 'done') {
            void load();
          }
        }),
      ];
      void load();
      return () => stops.forEach((stop) => stop());
    };

    return {
      units: null,
      loadError: null,
      runError: null,
      progress: {},
      running: [],
      failed: [],
      actions: { load, diagnose, retryFailed, connect },
    };
  });
}
