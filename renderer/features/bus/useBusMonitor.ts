import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';

import type { CallOutput } from '../../../shared/ipc/contract';
import type { BusFrameView } from '../../../shared/ipc/contracts/rs485';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useBus } from './busContext';
import { keepNewest, saveFile, SHOWN_FRAMES, type MonitorSource } from './monitorFrames';

type MonitorInfo = CallOutput<'rs485.monitor.start'>;

/** The monitor's state: the frames on show, started, stopped, picked up or exported. */
export function useBusMonitor(source: MonitorSource) {
  const { t } = useI18n();
  const api = useApi();
  const busId = source.kind === 'bus' ? source.busId : null;
  const listenPort = source.kind === 'listen' ? source.port : null;
  const bus = useBus((state) => state.buses.find((candidate) => candidate.busId === busId));
  const [monitor, setMonitor] = useState<MonitorInfo | null>(null);
  const [frames, setFrames] = useState<BusFrameView[]>([]);
  const [dropped, setDropped] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [isBusy, setBusy] = useState(false);
  const [endedReason, setEndedReason] = useState<string | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const monitorId = monitor?.monitorId ?? bus?.monitorId ?? null;
  const isRunning = monitor?.running ?? (bus?.monitorId ?? null) !== null;

  usePickUpMonitor(bus?.monitorId ?? null, listenPort, monitor === null, setMonitor, setFrames, setError);
  useMonitorEvents(monitorId, setMonitor, setFrames, setDropped, setEndedReason);

  const start = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    setEndedReason(null);
    try {
      const info = await api.call('rs485.monitor.start', {
        source:
          source.kind === 'bus'
            ? { kind: 'bus', busId: source.busId }
            : { kind: 'listen', port: source.port, settings: source.settings },
      });
      setFrames([]);
      setDropped(0);
      setMonitor(info);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const stop = async (): Promise<void> => {
    if (monitorId === null) {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setMonitor(await api.call('rs485.monitor.stop', { monitorId }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const exportFrames = async (format: 'csv' | 'text'): Promise<void> => {
    if (monitorId === null) {
      return;
    }
    setError(null);
    try {
      const answer = await api.call('rs485.monitor.export', { monitorId, format });
      const name = `rs485-frames-${new Date().toISOString().replace(/[:.]/g, '-')}.${format === 'csv' ? 'csv' : 'txt'}`;
      // The content comes back rather than a path: the browser saves it.
      saveFile(name, answer.content ?? '', format === 'csv' ? 'text/csv' : 'text/plain');
      setExported(t('bus.monitor.exported', { frames: answer.frames, name }));
    } catch (caught) {
      setError(caught);
    }
  };

  return { frames, dropped, error, isBusy, endedReason, exported, monitorId, isRunning, start, stop, exportFrames };
}

type Setter<T> = Dispatch<SetStateAction<T>>;

/**
 * A monitor already recording this bus or listening on this port (started before the page opened) is picked up,
 * not started twice.
 */
function usePickUpMonitor(
  busMonitorId: string | null,
  listenPort: string | null,
  isWanted: boolean,
  setMonitor: Setter<MonitorInfo | null>,
  setFrames: Setter<BusFrameView[]>,
  setError: Setter<unknown>,
): void {
  const api = useApi();
  useEffect(() => {
    if (!isWanted) {
      return;
    }
    let isCurrent = true;
    const pickUp = async (): Promise<void> => {
      let existing = busMonitorId;
      if (listenPort !== null) {
        const running = await api.call('rs485.monitor.list', {});
        existing = running.find((m) => m.kind === 'listen' && m.port === listenPort && m.running)?.monitorId ?? null;
      }
      if (existing === null) {
        return;
      }
      const answer = await api.call('rs485.monitor.frames', { monitorId: existing, limit: SHOWN_FRAMES });
      if (isCurrent) {
        setMonitor(answer.monitor);
        setFrames(keepNewest([], answer.frames));
      }
    };
    pickUp().catch((caught: unknown) => isCurrent && setError(caught));
    return () => {
      isCurrent = false;
    };
  }, [api, busMonitorId, listenPort, isWanted, setMonitor, setFrames, setError]);
}

/** The frames of this monitor as the core sends them, and the word when it ends. */
function useMonitorEvents(
  monitorId: string | null,
  setMonitor: Setter<MonitorInfo | null>,
  setFrames: Setter<BusFrameView[]>,
  setDropped: Setter<number>,
  setEndedReason: Setter<string | null>,
): void {
  const api = useApi();
  useEffect(() => {
    if (monitorId === null) {
      return;
    }
    const stops = [
      api.on('rs485.frames', (event) => {
        if (event.monitorId === monitorId) {
          setFrames((held) => keepNewest(held, event.frames));
          if (event.dropped > 0) {
            setDropped((count) => count + event.dropped);
          }
        }
      }),
      api.on('rs485.monitorEnded', (event) => {
        if (event.monitorId === monitorId) {
          setMonitor((info) => (info ? { ...info, running: false } : info));
          setEndedReason(event.reason);
        }
      }),
    ];
    return () => stops.forEach((stop) => stop());
  }, [api, monitorId, setMonitor, setFrames, setDropped, setEndedReason]);
}
