import { lazy } from 'react';

import { definePage, pathOf, type FeaturePages } from '../../platform/pages';
import { isUnitTab, type UnitTab } from './unitTabs';

declare module '../../platform/routes' {
  interface Routes {
    /** `at`: the Logs tab opens the journal around this moment; `path`: the Files tab opens this file or folder. */
    unit: { page: 'unit'; name: string; tab?: UnitTab; at?: string; path?: string };
  }
}

const UnitPage = lazy(() => import('./UnitPage').then((m) => ({ default: m.UnitPage })));

/** `/unit/NAME[/TAB[/DETAIL]]`. Other pages under a unit (its record, a session, a log view) are read first. */
export const unitPages: FeaturePages = {
  pages: [
    definePage({
      page: 'unit',
      parse: ([first, name, second, third]) => {
        if (first !== 'unit' || !name) {
          return null;
        }
        const tab = isUnitTab(second) ? second : undefined;
        if (tab === undefined) {
          return { page: 'unit', name };
        }
        if (tab === 'logs' && third) {
          return { page: 'unit', name, tab, at: third };
        }
        if (tab === 'files' && third) {
          return { page: 'unit', name, tab, path: third };
        }
        return { page: 'unit', name, tab };
      },
      path: (route) => {
        if (route.tab === undefined || route.tab === 'health') {
          return pathOf('unit', route.name);
        }
        const detail = route.tab === 'logs' ? route.at : route.tab === 'files' ? route.path : undefined;
        return pathOf('unit', route.name, route.tab, ...(detail === undefined ? [] : [detail]));
      },
      render: (route) => (
        <UnitPage
          key={route.name}
          name={route.name}
          tab={route.tab ?? 'health'}
          at={route.at ?? null}
          path={route.path ?? null}
        />
      ),
    }),
  ],
};
