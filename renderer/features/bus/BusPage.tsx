import { useEffect, useId, useMemo, useState } from 'react';

import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { BackupsPanel } from './BackupsPanel';
import { BusBar } from './BusBar';
import { busContext, useBus } from './busContext';
import { checkDraft } from './busSettingsDraft';
import { BusHealth } from './BusHealth';
import { BUS_TABS, createBusStore, type BusNotice, type BusTab } from './busStore';
import { ModuleList } from './ModuleList';
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
      <BusBar />
      {busId === null ? (
        <>
          <Connection />
          <p className="empty" data-testid="bus-none">
            {t('bus.noBus')}
          </p>
          <ListenMonitor />
        </>
      ) : (
        <Workspace key={busId} busId={busId} />
      )}
    </section>
  );
}

/** Choosing a port and its settings, or starting a simulated bus. */
function Connection() {
  return (
    <div className="bus__top">
      <PortsPanel />
      <SimPanel />
    </div>
  );
}

/**
 * Tabs that stay mounted, only hidden, once shown: the monitor's capture outlives a look away, and the chosen
 * module keeps being read live, so the monitor shows the workstation's own traffic as it did side by side.
 */
const KEPT_ALIVE: ReadonlySet<BusTab> = new Set(['module', 'monitor']);

/**
 * The held bus as a workspace: its modules at the side, and beside them one tab at a time (the chosen module's
 * registers, the scan, the monitor, the offline health, the parameter backups, the ports).
 */
function Workspace({ busId }: { busId: string }) {
  const { t } = useI18n();
  const slave = useBus((state) => state.slave);
  const tab = useBus((state) => state.tab);
  const { showTab } = useBus((state) => state.actions);
  const [visited, setVisited] = useState<ReadonlySet<BusTab>>(() => new Set([tab]));
  if (!visited.has(tab)) {
    setVisited(new Set([...visited, tab]));
  }

  const content = (id: BusTab): React.ReactNode => {
    switch (id) {
      case 'module':
        return slave !== null ? (
          <ModulePanel key={`${busId}-${slave}`} busId={busId} slave={slave} />
        ) : (
          <p className="empty">{t('bus.module.none')}</p>
        );
      case 'scan':
        return <ScanPanel />;
      case 'monitor':
        return <MonitorPanel source={{ kind: 'bus', busId }} />;
      case 'health':
        return <BusHealth busId={busId} />;
      case 'backups':
        return <BackupsPanel busId={busId} />;
      case 'connection':
        return <Connection />;
    }
  };

  return (
    <div className="bus__workspace" data-testid="bus-workspace">
      <ModuleList />
      <div className="bus__main">
        <nav className="tabs" role="tablist" aria-label={t('bus.tabs')}>
          {BUS_TABS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`bus-tab-${id}`}
              aria-selected={id === tab}
              aria-controls={`bus-panel-${id}`}
              className={`tabs__tab${id === tab ? ' tabs__tab--active' : ''}`}
              onClick={() => showTab(id)}
              data-testid={`bus-tab-${id}`}
            >
              {t(`bus.tab.${id}`)}
            </button>
          ))}
        </nav>
        {BUS_TABS.filter((id) => id === tab || (KEPT_ALIVE.has(id) && visited.has(id))).map((id) => (
          <div
            key={id}
            role="tabpanel"
            id={`bus-panel-${id}`}
            aria-labelledby={`bus-tab-${id}`}
            hidden={id !== tab}
            data-testid={`bus-panel-${id}`}
          >
            {content(id)}
          </div>
        ))}
      </div>
    </div>
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
