import type { Unsubscribe, WorkstationApi } from '../../../shared/ipc/api';
import type { EventPayload } from '../../../shared/ipc/contract';
import { coalesce } from '../../platform/coalesce';
import { draftOf } from './busSettingsDraft';
import type { GetBusState, ScanProgress, SetBusState } from './busState';

/** Loading the adapters, the buses and the simulators, and following the core's events about them. */
export type BusLoaders = {
  /** The page shows this bus: its settings are what the form shows, as the bus was connected with them. */
  showBus: (busId: string | null) => void;
  loadBuses: () => Promise<void>;
  refresh: () => Promise<void>;
  /** Follow hot-plug, bus and scan events; returns how to stop. */
  listen: () => Unsubscribe;
};

export function busLoaders(api: WorkstationApi, set: SetBusState, get: GetBusState): BusLoaders {
  const showBus = (busId: string | null): void => {
    const bus = get().buses.find((candidate) => candidate.busId === busId);
    set({
      busId,
      scan: null,
      scanProgress: null,
      slave: null,
      tab: 'scan',
      ...(bus ? { draft: draftOf(bus.settings) } : {}),
    });
  };

  const loadPorts = async (): Promise<void> => {
    try {
      const ports = await api.call('rs485.ports', {});
      set({ ports, portsError: null });
    } catch (error) {
      set({ portsError: error });
    }
  };

  const loadBuses = async (): Promise<void> => {
    try {
      const [buses, sims] = await Promise.all([api.call('rs485.buses', {}), api.call('rs485.sim.list', {})]);
      const { busId } = get();
      // Keep the bus on show while it lives; otherwise follow the one bus there is (connected elsewhere too).
      const kept = busId !== null && buses.some((bus) => bus.busId === busId) ? busId : (buses[0]?.busId ?? null);
      set({ buses, sims });
      if (kept !== busId) {
        showBus(kept);
      }
    } catch (error) {
      set({ portsError: error });
    }
  };

  const refresh = coalesce(async () => {
    await Promise.all([loadPorts(), loadBuses()]);
  });

  const listen = (): Unsubscribe => {
    const stops = [
      api.on('rs485.portsChanged', (event) => onPortsChanged(set, get, event)),
      api.on('rs485.busChanged', (event) => {
        onBusChanged(set, get, event);
        void refresh();
      }),
      api.on('rs485.scanProgress', (event: ScanProgress) => {
        if (event.busId === get().busId) {
          set({ scanProgress: event });
        }
      }),
    ];
    return () => stops.forEach((stop) => stop());
  };

  return { showBus, loadBuses, refresh, listen };
}

function onPortsChanged(set: SetBusState, get: GetBusState, event: EventPayload<'rs485.portsChanged'>): void {
  set({
    ports: event.ports,
    notice: { kind: event.kind === 'added' ? 'port-added' : 'port-removed', port: event.port.path },
  });
  // A newly plugged adapter is what the technician wants next, unless a port is already chosen; a pulled one
  // can no longer be chosen.
  if (event.kind === 'added' && get().selectedPort === '') {
    set({ selectedPort: event.port.path });
  }
  if (event.kind === 'removed' && get().selectedPort === event.port.path) {
    set({ selectedPort: '' });
  }
}

function onBusChanged(set: SetBusState, get: GetBusState, event: EventPayload<'rs485.busChanged'>): void {
  if (event.state === 'lost') {
    set({ notice: { kind: 'bus-lost', port: event.port, reason: event.reason } });
  }
  if (event.busId === get().busId && event.state !== 'connected') {
    set({ isScanning: false, scanProgress: null });
  }
}
