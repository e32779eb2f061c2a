import { useId } from 'react';

import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useBus } from './busContext';
import { PortsTable, usePortRows } from './PortsTable';
import { SettingsForm } from './SettingsForm';

/** The serial ports (hot-plug keeps the list current), the bus settings and the explicit Connect. */
export function PortsPanel() {
  const { t } = useI18n();
  const ports = useBus((state) => state.ports);
  const portsError = useBus((state) => state.portsError);
  const { refresh } = useBus((state) => state.actions);
  const { rows } = usePortRows();
  const titleId = useId();

  return (
    <section className="panel bus__ports" aria-labelledby={titleId} data-testid="bus-ports">
      <header className="panel__head">
        <h2 className="section-title" id={titleId}>
          {t('bus.ports.title')}
        </h2>
        <button
          type="button"
          className="button button--small button--quiet"
          onClick={() => void refresh()}
          data-testid="ports-refresh"
        >
          {t('bus.ports.refresh')}
        </button>
      </header>
      {portsError ? <ErrorNotice error={portsError} testId="ports-error" onRetry={() => void refresh()} /> : null}
      {ports === null && !portsError ? <p className="muted">{t('bus.ports.loading')}</p> : null}
      {ports !== null && rows.length === 0 ? (
        <p className="empty" data-testid="ports-empty">
          {t('bus.ports.empty')}
        </p>
      ) : null}
      {rows.length > 0 ? <PortsTable rows={rows} /> : null}
      <SettingsForm />
    </section>
  );
}
