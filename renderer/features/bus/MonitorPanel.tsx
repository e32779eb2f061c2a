import { useId } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { FramesTable } from './FramesTable';
import { SHOWN_FRAMES, type MonitorSource } from './monitorFrames';
import { useBusMonitor } from './useBusMonitor';

export { keepNewest, SHOWN_FRAMES, type MonitorSource } from './monitorFrames';

type Monitor = ReturnType<typeof useBusMonitor>;

/** The bus monitor: every frame on the bus with its time, direction, hex, decoded meaning and CRC; exportable. */
export function MonitorPanel({ source }: { source: MonitorSource }) {
  const { t } = useI18n();
  const id = useId();
  const monitor = useBusMonitor(source);
  const { frames, dropped, error, endedReason, exported, isRunning } = monitor;

  return (
    <section
      className="panel bus__monitor"
      aria-labelledby={`${id}-title`}
      data-testid="bus-monitor"
      data-kind={source.kind}
      data-running={isRunning}
      data-frames={frames.length}
    >
      <MonitorHead titleId={`${id}-title`} isListen={source.kind === 'listen'} monitor={monitor} />
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
        <FramesTable frames={frames} />
      )}
    </section>
  );
}

/** The title and the monitor's controls: start or stop, and the two exports. */
function MonitorHead({ titleId, isListen, monitor }: { titleId: string; isListen: boolean; monitor: Monitor }) {
  const { t } = useI18n();
  const { isRunning, isBusy, monitorId } = monitor;
  return (
    <header className="panel__head">
      <h2 className="section-title" id={titleId}>
        {isListen ? t('bus.monitor.listenTitle') : t('bus.monitor.title')}
      </h2>
      {isRunning ? <span className="tag tag--ok">{t('bus.monitor.recording')}</span> : null}
      <span className="bus__spacer" />
      {isRunning ? (
        <button
          type="button"
          className="button"
          disabled={isBusy}
          onClick={() => void monitor.stop()}
          data-testid="monitor-stop"
        >
          {t('bus.monitor.stop')}
        </button>
      ) : (
        <button
          type="button"
          className="button button--primary"
          disabled={isBusy}
          onClick={() => void monitor.start()}
          data-testid="monitor-start"
        >
          {isListen ? t('bus.monitor.listen') : t('bus.monitor.start')}
        </button>
      )}
      <button
        type="button"
        className="button"
        disabled={monitorId === null}
        onClick={() => void monitor.exportFrames('csv')}
        data-testid="monitor-export"
      >
        {t('bus.monitor.exportCsv')}
      </button>
      <button
        type="button"
        className="button button--quiet"
        disabled={monitorId === null}
        onClick={() => void monitor.exportFrames('text')}
        data-testid="monitor-export-text"
      >
        {t('bus.monitor.exportText')}
      </button>
    </header>
  );
}
