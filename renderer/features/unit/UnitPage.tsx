import { useEffect, useState } from 'react';

import { routeHref } from '../../platform/routes';
import { UNIT_TABS, type UnitTab } from './unitTabs';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useI18n } from '../../i18n/I18nProvider';
import { useApi } from '../../platform/ApiProvider';
import { useLiveStatus } from '../../platform/LiveStatusProvider';
import { UnitBackupsSummary } from '../backups';
import { UnitChanges } from '../changes';
import { FilesTab } from '../files';
import { LogsTab } from '../logs';
import { UnitRuns } from '../procedures';
import { TelemetryPanel } from '../telemetry';
import { ConsoleRecords, TerminalTab } from '../terminal';
import { HealthReport } from './HealthReport';
import { HistoryList } from './HistoryList';
import { HostKeyNotice } from './HostKeyNotice';
import { unitContext, useUnit } from '../../platform/stores/unitContext';
import { UnitHeader } from './UnitHeader';
import { createUnitStore } from '../../platform/stores/unitStore';
import './unit.css';

export type UnitPageProps = { name: string; tab?: UnitTab; at?: string | null; path?: string | null };

/** One unit, in tabs: its health tree, telemetry, history, backups, runs, terminal, logs and files. Mount with key={name}. */
export function UnitPage({ name, tab = 'health', at = null, path = null }: UnitPageProps) {
  const api = useApi();
  const [store] = useState(() => createUnitStore(api, name));
  const { generation } = useLiveStatus();
  // As in FleetProvider: after a reconnection, resubscribe and refetch what the lost events would have changed.
  useEffect(() => store.getState().actions.connect(), [store, generation]);
  return (
    <unitContext.Context value={store}>
      <UnitLayout tab={tab} at={at} path={path} />
    </unitContext.Context>
  );
}

/** Tabs that hold a live session (a shell, a log follow): kept open, only hidden, once shown. */
const KEPT_ALIVE: ReadonlySet<UnitTab> = new Set(['terminal', 'logs']);

function UnitLayout({ tab, at, path }: { tab: UnitTab; at: string | null; path: string | null }) {
  const { t } = useI18n();
  const name = useUnit((state) => state.name);
  const unit = useUnit((state) => state.unit);
  const isMissing = useUnit((state) => state.isMissing);
  const loadError = useUnit((state) => state.loadError);
  const refresh = useUnit((state) => state.actions.refresh);
  const [visited, setVisited] = useState<ReadonlySet<UnitTab>>(() => new Set([tab]));
  if (!visited.has(tab)) {
    setVisited(new Set([...visited, tab]));
  }

  const panel = (id: UnitTab, content: React.ReactNode) =>
    id === tab || (KEPT_ALIVE.has(id) && visited.has(id)) ? (
      <div
        key={id}
        className="unit__panel"
        role="tabpanel"
        id={`unit-panel-${id}`}
        aria-labelledby={`unit-tab-${id}`}
        hidden={id !== tab}
        data-testid={`unit-panel-${id}`}
      >
        {content}
      </div>
    ) : null;
  const needsKey = (content: React.ReactNode) =>
    unit?.hostKey ? content : <p className="muted">{t('unit.tab.needsKey')}</p>;

  return (
    <section className="page" data-testid="unit-page">
      {loadError ? <ErrorNotice error={loadError} testId="unit-error" onRetry={() => void refresh()} /> : null}
      {isMissing ? (
        <p className="notice notice--error" data-testid="unit-missing">
          {t('unit.notFound', { name })}
        </p>
      ) : null}
      {!unit && !isMissing && !loadError ? <p className="muted">{t('unit.loading')}</p> : null}
      {unit ? (
        <>
          <UnitHeader unit={unit} />
          {unit.hostKey ? null : <HostKeyNotice unit={unit.name} />}
          <nav className="unit-tabs" role="tablist" aria-label={t('unit.tabs')}>
            {UNIT_TABS.map((id) => (
              <a
                key={id}
                role="tab"
                id={`unit-tab-${id}`}
                aria-selected={id === tab}
                aria-controls={`unit-panel-${id}`}
                className={`unit-tabs__tab${id === tab ? ' unit-tabs__tab--active' : ''}`}
                href={routeHref({ page: 'unit', name: unit.name, tab: id })}
                data-testid={`unit-tab-${id}`}
              >
                {t(`unit.tab.${id}`)}
              </a>
            ))}
          </nav>
          {panel(
            'health',
            <>
              <UnitChanges />
              <HealthReport />
            </>,
          )}
          {/* Live values need a trusted host key to connect; until then the notice above says what to do. */}
          {panel('telemetry', needsKey(<TelemetryPanel name={unit.name} />))}
          {panel(
            'history',
            <>
              <ConsoleRecords unit={unit.name} />
              <HistoryList />
            </>,
          )}
          {panel('backups', <UnitBackupsSummary name={unit.name} />)}
          {panel('runs', <UnitRuns unit={unit.name} />)}
          {panel('terminal', needsKey(<TerminalTab unit={unit.name} />))}
          {panel('logs', needsKey(<LogsTab unit={unit.name} at={at} />))}
          {panel('files', needsKey(<FilesTab unit={unit.name} path={path} />))}
        </>
      ) : null}
    </section>
  );
}
