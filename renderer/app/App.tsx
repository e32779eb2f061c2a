import { Suspense } from 'react';

import { useI18n } from '../i18n/I18nProvider';
import { BackupsProvider } from '../platform/stores/BackupsProvider';
import { FleetProvider } from '../platform/stores/FleetProvider';
import { SyncIndicator, TeamProvider } from '../features/team';
import { routeHref, type Route } from '../platform/routes';
import { Header } from './Header';
import { FEATURE_PAGES, ROUTE_TABLE } from './pages';
import { useAppInfo } from './useAppInfo';
import { useRoute } from './useRoute';

/** The header's links, one per feature that has one, in the page list's order. */
function Nav({ route }: { route: Route }) {
  const { t } = useI18n();
  return (
    <nav className="header__nav">
      {FEATURE_PAGES.flatMap(({ nav }) =>
        nav
          ? [
              <a
                key={nav.testId}
                href={routeHref(nav.to)}
                aria-current={nav.current.includes(route.page) ? 'page' : undefined}
                data-testid={nav.testId}
              >
                {t(nav.labelId)}
              </a>,
            ]
          : [],
      )}
    </nav>
  );
}

/** Shown while a page's code loads, the first time it opens; busy, like every loading line, until the page is there. */
function PageLoading() {
  const { t } = useI18n();
  return (
    <p className="muted" role="status" aria-busy="true">
      {t('app.loadingPage')}
    </p>
  );
}

/** The connected app: header, then the page the hash names. Needs the API, i18n and navigation providers above it. */
export function App() {
  const info = useAppInfo();
  const route = useRoute();
  return (
    <FleetProvider>
      <BackupsProvider>
        <TeamProvider>
          <Header
            dataDir={info?.dataDir}
            version={info?.version}
            nav={<Nav route={route} />}
            team={<SyncIndicator />}
          />
          <main className="main">
            <Suspense fallback={<PageLoading />}>{ROUTE_TABLE.entryOf(route).render(route)}</Suspense>
          </main>
        </TeamProvider>
      </BackupsProvider>
    </FleetProvider>
  );
}
