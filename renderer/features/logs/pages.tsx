import { lazy } from 'react';

import { definePage, pathOf, type FeaturePages } from '../../platform/pages';

declare module '../../platform/routes' {
  interface Routes {
    logView: { page: 'logView'; name: string; viewId: string };
  }
}

const LogViewPage = lazy(() => import('./LogViewPage').then((m) => ({ default: m.LogViewPage })));

/** A saved view of a unit's journal: `/unit/NAME/logview/ID`. */
export const logsPages: FeaturePages = {
  pages: [
    definePage({
      page: 'logView',
      parse: ([first, name, second, viewId]) =>
        first === 'unit' && name && second === 'logview' && viewId ? { page: 'logView', name, viewId } : null,
      path: (route) => pathOf('unit', route.name, 'logview', route.viewId),
      render: (route) => <LogViewPage key={route.viewId} name={route.name} viewId={route.viewId} />,
    }),
  ],
};
