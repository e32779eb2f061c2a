import { useEffect, useId, useState } from 'react';

import type { BusFrameView, BusSettingsInput } from '../../../shared/ipc/contracts/rs485';
import type { CallOutput } from '../../../shared/ipc/contract';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useBus } from './busContext';

/** Frames the page keeps on show; the core holds many more for the export. */
export const SHOWN_FRAMES = 300;

type MonitorInfo = CallOutput<'rs485.monitor.start'>;

/** Newest first, bounded: the newest batch wins. */
export function keepNewest(held: readonly BusFrameView[], batch: readonly BusFrameView[], limit = SHOWN_FRAMES) {
  const merged = [...batch.slice().reverse(), ...held];
  return merged.length > limit ? merged.slice(0, limit) : merged;
}

/**
 * What is monitored: a bus this workstation is master of, or a port nobody here holds, listened to without sending
 * a byte (the vehicle's own firmware driving it, say).
 */
export type MonitorSource =
  { kind: 'bus'; busId: string } | { kind: 'listen'; port: string; settings: BusSettingsInput };

/** The bus monitor: every frame on the bus with its time, direction, hex, decoded meaning and CRC; exportable. */
export function MonitorPanel({ source }: { source: MonitorSource }) {
  const { t, language } = useI18n();
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
  const id = useId();
  const monitorId = monitor?.monitorId ?? bus?.monitorId ?? null;
  const isRunning = monitor?.running ?? (bus?.monitorId ?? null) !== null;

  // A monitor already recording this bus or listening on this port (started before the page opened) is picked up,
  // not started twice.
  useEffect(() => {
    if (monitor !== null) {
      return;
    }
    let isCurrent = true;
    const pickUp = async (): Promise<void> => {
      let existing = bus?.monitorId ?? null;
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
  }, [api, bus?.monitorId, listenPort, monitor]);

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
  }, [api, monitorId]);

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
      // The content comes back rather than a path: the browser saves it, in Electron and in a plain browser alike.
      const blob = new Blob([answer.content ?? ''], { type: format === 'csv' ? 'text/csv' : 'text/plain' });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name;
      link.click();
      window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExported(t('bus.monitor.exported', { frames: answer.frames, name }));
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section
      className="panel bus__monitor"
      aria-labelledby={`${id}-title`}
      data-testid="bus-monitor"
      data-kind={source.kind}
      data-running={isRunning}
      data-frames={frames.length}
    >
      <header className="panel__head">
        <h2 className="section-title" id={`${id}-title`}>
          {source.kind === 'listen' ? t('bus.monitor.listenTitle') : t('bus.monitor.title')}
        </h2>
        {isRunning ? <span className="tag tag--ok">{t('bus.monitor.recording')}</span> : null}
        <span className="bus__spacer" />
        {isRunning ? (
          <button
            type="button"
            className="button"
            disabled={isBusy}
            onClick={() => void stop()}
            data-testid="monitor-stop"
          >
            {t('bus.monitor.stop')}
          </button>
        ) : (
          <button
            type="button"
            className="button button--primary"
            disabled={isBusy}
            onClick={() => void start()}
            data-testid="monitor-start"
          >
            {source.kind === 'listen' ? t('bus.monitor.listen') : t('bus.monitor.start')}
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={monitorId === null}
          onClick={() => void exportFrames('csv')}
          data-testid="monitor-export"
        >
          {t('bus.monitor.exportCsv')}
        </button>
        <button
          type="button"
          className="button button--quiet"
          disabled={monitorId === null}
          onClick={() => void exportFrames('text')}
          data-testid="monitor-export-text"
        >
          {t('bus.monitor.exportText')}
        </button>
      </header>
      <p className="muted">
        {source.kind === 'listen'
          ? t('bus.monitor.listenIntro', { path: source.port, count: SHOWN_FRAMES })
          : t('bus.monitor.intro', { count: SHOWN_FRAMES })}
      </p>
      {error ? <ErrorNotice error={error} testId="monitor-error" /> : null}
      {endedReason ? (
        <p className="notice notice--attention" data-testid="monitor-ended">
          {t('bus.monitor.ended', { reason: endedReason })}
        </p>
      ) : null}
      {exported ? (
        <p className="notice notice--ok" role="status" data-testid="monitor-exported">
          {exported}
        </p>
      ) : null}
      {dropped > 0 ? <p className="muted">{t('bus.monitor.dropped', { count: dropped })}</p> : null}
      {frames.length === 0 ? (
        <p className="empty" data-testid="monitor-empty">
          {isRunning ? t('bus.monitor.waiting') : t('bus.monitor.none')}
        </p>
      ) : (
        <div className="bus__scroll bus__scroll--frames">
          <table className="bus-table bus-table--frames" data-testid="frames-table">
            <thead>
              <tr>
                <th scope="col">{t('bus.monitor.col.time')}</th>
                <th scope="col">{t('bus.monitor.col.direction')}</th>
                <th scope="col">{t('bus.monitor.col.hex')}</th>
                <th scope="col">{t('bus.monitor.col.meaning')}</th>
                <th scope="col">{t('bus.monitor.col.crc')}</th>
              </tr>
            </thead>
            <tbody>
              {frames.map((frame, index) => (
                <tr
                  key={`${frame.at}-${frame.direction}-${index}`}
                  data-testid="frame-row"
                  data-direction={frame.direction}
                  data-crc={frame.crcOk ? 'ok' : 'bad'}
                  className={frame.crcOk ? undefined : 'bus-table__row--error'}
                >
                  <td className="mono">{frameTime(frame.at, language)}</td>
                  <td>
                    <span className={`dir dir--${frame.direction}`}>
                      {frame.direction === 'tx' ? t('bus.monitor.tx') : t('bus.monitor.rx')}
                    </span>
                  </td>
                  <td className="mono bus__hex">{frame.hex}</td>
                  <td>{frame.meaning}</td>
                  <td>
                    {frame.crcOk ? (
                      <span className="tag tag--ok">{t('bus.monitor.crcOk')}</span>
                    ) : (
                      <span className="tag tag--danger">{t('bus.monitor.crcBad')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Wall-clock time with milliseconds: frames a few ms apart must not look simultaneous. */
function frameTime(at: number, language: string): string {
  const date = new Date(at);
  const clock = date.toLocaleTimeString(language === 'vi' ? 'vi-VN' : 'en-GB', { hour12: false });
  return `${clock}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
