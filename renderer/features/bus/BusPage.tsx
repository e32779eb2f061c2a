import { useEffect, useId, useMemo, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { BackupsPanel } from './BackupsPanel';
import { BusBar } from './BusBar';
import { busContext, useBus } from './busContext';
import { checkDraft } from './busSettingsDraft';
import { BusHealth } from './BusHealth';
import { createBusStore, type BusNotice } from './busStore';
import { ModulePanel } from './ModulePanel';
import { MonitorPanel } from './MonitorPanel';
import { PortsPanel } from './PortsPanel';
import { ScanPanel } from './ScanPanel';
import { SecondMasterPanel } from './SecondMasterPanel';
import { SimPanel } from './SimPanel';
import './bus.css';

/** The RS485 bus doctor: adapters, the bus, its modules and their registers, the offline health, the monitor. */
export function BusPage() {
  const api = useApi();
  const [store] = useState(() => createBusStore(api));
  const { generation } = useLiveStatus();
  // Events lost while the stream was down: resubscribe and reload the ports and buses after each reconnection.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return (
    <busContext.Context value={store}>
      <BusLayout />
    </busContext.Context>
  );
}

function BusLayout() {
  const { t } = useI18n();
  const busId = useBus((state) => state.busId);
  const slave = useBus((state) => state.slave);
  const titleId = useId();

  return (
    <section className="page bus" data-testid="bus-page" aria-labelledby={titleId}>
      <div className="page__head">
        <div>
          <h1 className="page__title" id={titleId}>
            {t('bus.title')}
          </h1>
          <p className="muted">{t('bus.intro')}</p>
        </div>
      </div>
      <NoticeLine />
      <SecondMasterPanel />
      <div className="bus__top">
        <PortsPanel />
        <SimPanel />
      </div>
      <BusBar />
      {busId === null ? (
        <>
          <p className="empty" data-testid="bus-none">
            {t('bus.noBus')}
          </p>
          <ListenMonitor />
        </>
      ) : (
        <>
          <ScanPanel />
          <div className="bus__columns">
            {slave !== null ? (
              <ModulePanel key={`${busId}-${slave}`} busId={busId} slave={slave} />
            ) : (
              <p className="empty">{t('bus.module.none')}</p>
            )}
            <BusHealth key={busId} busId={busId} />
          </div>
          <MonitorPanel key={`monitor-${busId}`} source={{ kind: 'bus', busId }} />
          <BackupsPanel busId={busId} />
        </>
      )}
    </section>
  );
}

/** Before taking a bus: listen to the chosen port without sending, e.g. to watch the vehicle's firmware poll it. */
function ListenMonitor() {
  const selectedPort = useBus((state) => state.selectedPort);
  const draft = useBus((state) => state.draft);
  const isHeld = useBus((state) => state.buses.some((bus) => bus.port === state.selectedPort));
  const checked = useMemo(() => checkDraft(draft), [draft]);
  if (selectedPort === '' || isHeld || !checked.ok) {
    return null;
  }
  return (
    <MonitorPanel
      key={`listen-${selectedPort}`}
      source={{ kind: 'listen', port: selectedPort, settings: checked.settings }}
    />
  );
}

function NoticeLine() {
  const { t } = useI18n();
  const notice = useBus((state) => state.notice);
  const { dismissNotice } = useBus((state) => state.actions);
  if (notice === null) {
    return null;
  }
  return (
    <div
      className={`notice notice--inline ${notice.kind === 'bus-lost' ? 'notice--error' : 'notice--attention'}`}
      role="status"
      data-testid="bus-notice"
      data-kind={notice.kind}
    >
      <span>{noticeText(notice, t)}</span>
      <button type="button" className="button button--small" onClick={dismissNotice}>
        {t('bus.dismiss')}
      </button>
    </div>
  );
}

function noticeText(notice: BusNotice, t: ReturnType<typeof useI18n>['t']): string {
  switch (notice.kind) {
    case 'port-added':
      return t('bus.notice.added', { path: notice.port });
    case 'port-removed':
      return t('bus.notice.removed', { path: notice.port });
    case 'bus-lost':
      return t('bus.notice.lost', { path: notice.port, reason: notice.reason ?? '' });
    case 'released':
      return t('bus.notice.released', { path: notice.port });
  }
}
