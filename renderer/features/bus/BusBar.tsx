import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';

/** The buses this workstation holds, each with its explicit Release (flashing tools need the port back). */
export function BusBar() {
  const { t, time } = useI18n();
  const buses = useBus((state) => state.buses);
  const busId = useBus((state) => state.busId);
  const isReleasing = useBus((state) => state.isReleasing);
  const releaseError = useBus((state) => state.releaseError);
  const { release, useBus: chooseBus } = useBus((state) => state.actions);

  if (buses.length === 0) {
    return null;
  }
  return (
    <section className="panel bus__held" aria-label={t('bus.held.title')} data-testid="bus-held">
      <ul className="bus__held-list">
        {buses.map((bus) => {
          const isCurrent = bus.busId === busId;
          const { settings } = bus;
          return (
            <li
              key={bus.busId}
              className={`bus__held-item${isCurrent ? ' bus__held-item--current' : ''}`}
              data-testid="held-bus"
              data-bus-id={bus.busId}
              data-port={bus.port}
              data-current={isCurrent}
            >
              <span className="bus__held-state">{t('bus.held.connected')}</span>
              <span className="mono">{bus.port}</span>
              <span className="muted mono">
                {settings.baudRate} {settings.dataBits}
                {settings.parity[0]?.toUpperCase()}
                {settings.stopBits} · {t('bus.held.timing', { timeout: settings.timeoutMs, retries: settings.retries })}
              </span>
              <span className="muted">{t('bus.held.since', { time: time(bus.connectedAt) })}</span>
              {bus.scanning ? <span className="tag tag--attention">{t('bus.held.scanning')}</span> : null}
              <span className="bus__spacer" />
              {!isCurrent ? (
                <button type="button" className="button button--small" onClick={() => chooseBus(bus.busId)}>
                  {t('bus.held.use')}
                </button>
              ) : null}
              <button
                type="button"
                className="button button--small"
                disabled={isReleasing}
                onClick={() => void release(bus.busId)}
                data-testid="release-button"
              >
                {t('bus.release')}
              </button>
            </li>
          );
        })}
      </ul>
      {releaseError ? <ErrorNotice error={releaseError} testId="release-error" /> : null}
    </section>
  );
}
