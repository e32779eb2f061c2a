import { useI18n } from '../i18n/I18nProvider';
import { AddUnitPage } from '../features/addUnit';
import { BusPage } from '../features/bus';
import { BackupsPage, BackupsProvider, RestoreWizard, UnitBackupsPage } from '../features/backups';
import { FleetPage, FleetProvider } from '../features/fleet';
import { SyncIndicator, TeamProvider } from '../features/team';
import { LogbookPage, ServiceRecordPage, SiteReportPage } from '../features/logbook';
import { LibraryPage, ProcedurePage, RecoverPage, ReportPage, RunPage } from '../features/procedures';
import { LogViewPage } from '../features/logs';
import { SettingsPage } from '../features/settings';
import { SessionPage } from '../features/terminal';
import { UnitPage } from '../features/unit';
import { Header } from './Header';
import { routeHref } from './routes';
import { useAppInfo } from './useAppInfo';
import { useRoute } from './useRoute';

const PROCEDURE_PAGES: ReadonlySet<string> = new Set(['procedures', 'procedure', 'recover', 'run', 'report']);

const BACKUP_PAGES: ReadonlySet<string> = new Set(['backups', 'unitBackups', 'restore']);

const LOGBOOK_PAGES: ReadonlySet<string> = new Set(['logbook', 'siteReport']);

/** The connected app: header, then the page the hash names. Needs the API, i18n and navigation providers above it. */
export function App() {
  const { t } = useI18n();
  const info = useAppInfo();
  const route = useRoute();
  const nav = (
    <nav className="header__nav">
      <a
        href={routeHref({ page: 'fleet' })}
        aria-current={route.page === 'fleet' ? 'page' : undefined}
        data-testid="nav-fleet"
      >
        {t('nav.fleet')}
      </a>
      <a
        href={routeHref({ page: 'procedures' })}
        aria-current={PROCEDURE_PAGES.has(route.page) ? 'page' : undefined}
        data-testid="nav-procedures"
      >
        {t('nav.procedures')}
      </a>
      <a
        href={routeHref({ page: 'backups' })}
        aria-current={BACKUP_PAGES.has(route.page) ? 'page' : undefined}
        data-testid="nav-backups"
      >
        {t('nav.backups')}
      </a>
      <a
        href={routeHref({ page: 'logbook' })}
        aria-current={LOGBOOK_PAGES.has(route.page) ? 'page' : undefined}
        data-testid="nav-logbook"
      >
        {t('nav.logbook')}
      </a>
      <a
        href={routeHref({ page: 'bus' })}
        aria-current={route.page === 'bus' ? 'page' : undefined}
        data-testid="nav-bus"
      >
        {t('bus.nav')}
      </a>
      <a
        href={routeHref({ page: 'settings' })}
        aria-current={route.page === 'settings' ? 'page' : undefined}
        data-testid="nav-settings"
      >
        {t('nav.settings')}
      </a>
    </nav>
  );
  return (
    <FleetProvider>
      <BackupsProvider>
        <TeamProvider>
          <Header dataDir={info?.dataDir} version={info?.version} nav={nav} team={<SyncIndicator />} />
          <main className="main">
            {route.page === 'fleet' ? <FleetPage /> : null}
            {route.page === 'add' ? <AddUnitPage /> : null}
            {route.page === 'unit' ? (
              <UnitPage
                key={route.name}
                name={route.name}
                tab={route.tab ?? 'health'}
                at={route.at ?? null}
                path={route.path ?? null}
              />
            ) : null}
            {route.page === 'session' ? (
              <SessionPage key={route.sessionId} name={route.name} sessionId={route.sessionId} />
            ) : null}
            {route.page === 'logView' ? (
              <LogViewPage key={route.viewId} name={route.name} viewId={route.viewId} />
            ) : null}
            {route.page === 'settings' ? <SettingsPage /> : null}
            {route.page === 'bus' ? <BusPage /> : null}
            {route.page === 'backups' ? <BackupsPage /> : null}
            {route.page === 'unitBackups' ? <UnitBackupsPage key={route.name} name={route.name} /> : null}
            {route.page === 'restore' ? (
              <RestoreWizard
                key={`${route.name}/${route.backupId ?? ''}`}
                name={route.name}
                backupId={route.backupId}
              />
            ) : null}
            {route.page === 'procedures' ? <LibraryPage /> : null}
            {route.page === 'procedure' ? <ProcedurePage key={route.id} id={route.id} /> : null}
            {route.page === 'recover' ? (
              <RecoverPage
                key={`${route.unit}/${route.checkId}/${route.procedure ?? ''}`}
                unit={route.unit}
                checkId={route.checkId}
                preselected={route.procedure}
              />
            ) : null}
            {route.page === 'run' ? <RunPage key={route.runId} runId={route.runId} /> : null}
            {route.page === 'report' ? <ReportPage key={route.runId} runId={route.runId} /> : null}
            {route.page === 'logbook' ? <LogbookPage /> : null}
            {route.page === 'serviceRecord' ? <ServiceRecordPage key={route.name} name={route.name} /> : null}
            {route.page === 'siteReport' ? <SiteReportPage /> : null}
          </main>
        </TeamProvider>
      </BackupsProvider>
    </FleetProvider>
  );
}
